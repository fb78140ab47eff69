import type { Deployment, DeploymentStatus, DeploymentStatusInput } from "../../shared/ports.js";
import { CommitDeployments, type LinkedDeployment } from "./deploymentLinks.js";
import type { ReleaseDeps } from "./deps.js";
import { APPLIED_PREFIX, HEALTHY_PREFIX, type SuccessMeans, successMeansOf } from "./tracking.js";

/** A release whose content was already committed waits on the earlier release that committed it. */
export const FOLLOWS_PREFIX = "Same content as release";

export interface ReleaseLink {
  repository: string;
  id: number;
}

/** Deployments made before `follows` was recorded in the payload named their leader in the status description only. */
const LEGACY_LEADER = /^Same content as release ([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)#([1-9][0-9]*)/;

/** The release an unchanged re-deploy waits on: its payload's `follows` (older deployments: its status description). */
export function leaderOf(deployment: Deployment, latest: DeploymentStatus | undefined): ReleaseLink | undefined {
  const follows = deployment.payload.follows as Partial<ReleaseLink> | undefined;
  if (typeof follows?.repository === "string" && Number.isInteger(follows.id) && Number(follows.id) > 0)
    return { repository: follows.repository, id: Number(follows.id) };
  const match = latest?.state === "in_progress" && latest.description ? LEGACY_LEADER.exec(latest.description) : null;
  return match?.[1] && match[2] ? { repository: match[1], id: Number(match[2]) } : undefined;
}

/**
 * What a re-deploy of unchanged content says, from the release that committed that content: confirmed when that one
 * was (healthy stays healthy, applied stays applied: `means` is what the leader's `success` meant), failed when it
 * failed, otherwise waiting on it. A no-op re-deploy of content the cluster never confirmed is therefore not healthy.
 * Undefined while the leader is not final.
 */
export function mirrorLeader(
  leader: ReleaseLink,
  statuses: readonly DeploymentStatus[],
  gitopsSha: string,
  means: SuccessMeans,
): DeploymentStatusInput | undefined {
  const latest = statuses[0];
  const ref = `${leader.repository}#${leader.id}`;
  const sha7 = gitopsSha.slice(0, 7);
  // Inactive: a newer deployment of the environment succeeded after it; its own last success still tells.
  const settled = latest?.state === "inactive" ? statuses.find((s) => s.state !== "inactive") : latest;
  if (!settled) return undefined;
  if (settled.state === "success") {
    return means === "applied"
      ? { state: "success", description: `${APPLIED_PREFIX} at ${sha7} (unchanged since release ${ref})` }
      : { state: "success", description: `${HEALTHY_PREFIX}: unchanged since release ${ref} at ${sha7}` };
  }
  if (settled.state === "failure" || settled.state === "error") {
    return {
      state: settled.state,
      description: `Unchanged since release ${ref}, which ended ${settled.state}: ${settled.description ?? ""}`,
    };
  }
  return undefined;
}

/**
 * The release recorded in the gitops history as the one that committed this env/app's content at `gitopsSha` (the
 * newest release commit of that env/app); undefined for history Gimlet wrote without a deployment.
 */
export async function committingRelease(
  deps: ReleaseDeps,
  gitops: { repository: string; branch: string },
  target: { env: string; app: string; gitopsSha: string },
): Promise<LinkedDeployment | undefined> {
  const commits = await deps.writer.releaseCommits(
    { repo: gitops.repository, branch: gitops.branch },
    target.gitopsSha,
    50,
  );
  // Its deployment is named by id (older commits) or found by listing.
  const commit = commits.find(
    (c) => c.env === target.env && c.app === target.app && (c.deployments.length > 0 || c.release),
  );
  const linked = commit ? await new CommitDeployments(deps).of(commit) : [];
  return linked.sort((a, b) => a.id - b.id)[0];
}

/**
 * The status of a release whose write changed nothing (the content is already at `gitopsSha`): mirror `leader`, the
 * release that committed it (committingRelease), or wait on it (the overdue sweep resolves it later).
 */
export async function unchangedReleaseStatus(
  deps: ReleaseDeps,
  gitops: { repository: string },
  leader: LinkedDeployment | undefined,
  gitopsSha: string,
): Promise<DeploymentStatusInput> {
  const sha7 = gitopsSha.slice(0, 7);
  // History Gimlet wrote (no deployment recorded): the content is committed; nothing says the cluster confirmed it.
  if (!leader)
    return { state: "success", description: `${APPLIED_PREFIX} earlier: already in ${gitops.repository}@${sha7}` };
  const mirrored = mirrorLeader(
    leader,
    await deps.forge.listDeploymentStatuses(leader.repository, leader.id),
    gitopsSha,
    successMeansOf(leader.payload),
  );
  return (
    mirrored ?? {
      state: "in_progress",
      description: `${FOLLOWS_PREFIX} ${leader.repository}#${leader.id} in ${gitops.repository}@${sha7}: waiting for it to be confirmed`,
    }
  );
}
