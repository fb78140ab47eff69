import type { DeploymentStatus, DeploymentStatusInput } from "../../shared/ports.js";
import { CommitDeployments } from "./deploymentLinks.js";
import type { ReleaseDeps } from "./deps.js";
import { APPLIED_PREFIX, HEALTHY_PREFIX } from "./tracking.js";

/** A release whose content was already committed waits on the earlier release that committed it. */
export const FOLLOWS_PREFIX = "Same content as release";

const LEADER = /^Same content as release ([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)#([1-9][0-9]*)/;

/** The release an unchanged re-deploy waits on, from its status description. */
export function leaderOf(status: DeploymentStatus | undefined): { repository: string; id: number } | undefined {
  const match = status?.state === "in_progress" && status.description ? LEADER.exec(status.description) : null;
  return match?.[1] && match[2] ? { repository: match[1], id: Number(match[2]) } : undefined;
}

/**
 * What a re-deploy of unchanged content says, from the release that committed that content: confirmed when that one
 * was (healthy stays healthy, applied stays applied), failed when it failed, otherwise waiting on it. A no-op
 * re-deploy of content the cluster never confirmed is therefore not healthy. Undefined while the leader is not final.
 */
export function mirrorLeader(
  leader: { repository: string; id: number },
  statuses: readonly DeploymentStatus[],
  gitopsSha: string,
): DeploymentStatusInput | undefined {
  const latest = statuses[0];
  const ref = `${leader.repository}#${leader.id}`;
  const sha7 = gitopsSha.slice(0, 7);
  // Inactive: a newer deployment of the environment succeeded after it; its own last success still tells.
  const settled = latest?.state === "inactive" ? statuses.find((s) => s.state !== "inactive") : latest;
  if (!settled) return undefined;
  if (settled.state === "success") {
    return settled.description?.startsWith(APPLIED_PREFIX)
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
 * The status of a release whose write changed nothing (the content is already at `gitopsSha`): mirror the release
 * recorded in the gitops history for that env/app, or wait on it (the overdue sweep resolves it later).
 */
export async function unchangedReleaseStatus(
  deps: ReleaseDeps,
  gitops: { repository: string; branch: string },
  target: { env: string; app: string; gitopsSha: string },
  /** The deployment being reported, never its own leader (a re-deploy of one artifact lists beside its leader). */
  self?: number,
): Promise<DeploymentStatusInput> {
  const sha7 = target.gitopsSha.slice(0, 7);
  const commits = await deps.writer.releaseCommits(
    { repo: gitops.repository, branch: gitops.branch },
    target.gitopsSha,
    50,
  );
  // The newest release commit of this env/app; its deployment is named by id (older commits) or found by listing.
  const commit = commits.find(
    (c) => c.env === target.env && c.app === target.app && (c.deployments.length > 0 || c.release),
  );
  const linked = commit ? await new CommitDeployments(deps).of(commit) : [];
  const leader = linked.filter((d) => d.id !== self).sort((a, b) => a.id - b.id)[0];
  // History Gimlet wrote (no deployment recorded): the content is committed; nothing says the cluster confirmed it.
  if (!leader)
    return { state: "success", description: `${APPLIED_PREFIX} earlier: already in ${gitops.repository}@${sha7}` };
  const mirrored = mirrorLeader(
    leader,
    await deps.forge.listDeploymentStatuses(leader.repository, leader.id),
    target.gitopsSha,
  );
  return (
    mirrored ?? {
      state: "in_progress",
      description: `${FOLLOWS_PREFIX} ${leader.repository}#${leader.id} in ${gitops.repository}@${sha7}: waiting for it to be confirmed`,
    }
  );
}
