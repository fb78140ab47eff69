import { CommitDeployments } from "../releases/deploymentLinks.js";
import type { ReleaseDeps } from "../releases/deps.js";
import { reportStatus } from "../releases/release.js";
import { HEALTHY_PREFIX } from "../releases/tracking.js";
import type { AgentEvent } from "./event.js";

const MAX_COMMITS = 200;

export interface HealthSettled {
  repository: string;
  deploymentId: number;
  state: "success" | "failure";
  /** The release's gitops commit. */
  gitopsSha: string;
}

/**
 * The agent saw env/app's rollout at a gitops revision become healthy (or fail): the newest release of that app at or
 * before the revision gets `success` (or `failure` with the agent's reason and log lines). Older releases are left to
 * GitHub's auto-inactive.
 */
export async function settleRollout(
  deps: ReleaseDeps,
  gitops: { repository: string; branch: string },
  event: AgentEvent,
  outcome: "healthy" | "failed",
): Promise<HealthSettled[]> {
  const commits = await deps.writer.releaseCommits(
    { repo: gitops.repository, branch: gitops.branch },
    event.gitopsRevision,
    MAX_COMMITS,
  );
  const release = commits.find(
    (c) => c.env === event.env && c.app === event.app && (c.deployments.length > 0 || c.release !== undefined),
  );
  if (!release) return [];
  const settled: HealthSettled[] = [];
  for (const ref of await new CommitDeployments(deps).of(release)) {
    const statuses = await deps.forge.listDeploymentStatuses(ref.repository, ref.id).catch((error: unknown) => {
      deps.log.warn({ err: error, repo: ref.repository, deployment: ref.id }, "could not read a deployment's statuses");
      return undefined;
    });
    if (!statuses) continue;
    const latest = statuses[0];
    if (latest && (latest.state === "success" || latest.state === "inactive" || latest.state === "error")) continue;
    const state = outcome === "healthy" ? "success" : "failure";
    const description =
      outcome === "healthy"
        ? `${HEALTHY_PREFIX}: ${event.ready}/${event.desired} ready${event.image ? ` (${event.image})` : ""}`
        : `Rollout failed: ${event.reason ?? "unhealthy"}${event.message ? `: ${event.message.split("\n").slice(-3).join(" ")}` : ""}`;
    await reportStatus(deps, ref.repository, ref.id, {
      state,
      description,
      logUrl: deps.remote.commitUrl(gitops.repository, release.sha),
      environmentUrl: statuses.find((s) => s.environmentUrl)?.environmentUrl,
    });
    settled.push({ repository: ref.repository, deploymentId: ref.id, state, gitopsSha: release.sha });
  }
  deps.log.info(
    {
      gitops: gitops.repository,
      env: event.env,
      app: event.app,
      revision: event.gitopsRevision,
      outcome,
      settled: settled.length,
    },
    "rollout settled",
  );
  return settled;
}
