import { ConfigError } from "../../shared/errors.js";
import { REPOSITORY_NAME_SOURCE } from "../../shared/names.js";
import type { OutcomeOf } from "../../shared/outcomes.js";
import type { DeploymentStatus } from "../../shared/ports.js";

export type TrackingStatus = OutcomeOf<"queued" | "committed" | "applied" | "healthy" | "failed">;

/** How the status descriptions the app writes begin; for people only: tracking never reads descriptions. */
export const APPLIED_PREFIX = "Applied by Flux";
export const HEALTHY_PREFIX = "Healthy";

/**
 * What a `success` status of a deployment means, recorded in the deployment's payload when it is created: Flux
 * applied the commit, or (with GIMLET_REQUIRE_AGENT_HEALTH) the cluster agent saw the rollout healthy.
 */
export type SuccessMeans = OutcomeOf<"applied" | "healthy">;

export const successMeans = (requireAgentHealth: boolean): SuccessMeans => (requireAgentHealth ? "healthy" : "applied");

/** A deployment payload's `successMeans`; deployments created before it was recorded succeed when applied. */
export function successMeansOf(payload: Record<string, unknown> | undefined): SuccessMeans {
  return payload?.successMeans === "healthy" ? "healthy" : "applied";
}

/**
 * Whether the newest status is `in_progress` because Flux applied the commit (waiting for the rollout): the first
 * `in_progress` of a release is its gitops commit, so a later one follows that commit or a Flux failure.
 */
export function appliedInProgress(statuses: readonly DeploymentStatus[]): boolean {
  const [latest, ...older] = statuses;
  return latest?.state === "in_progress" && older.some((s) => s.state === "in_progress" || s.state === "failure");
}

/** What a tracking id names: a release by its repository, artifact sha, env, app and a nonce, or (older ids) a deployment. */
export interface ReleaseRef {
  repository: string;
  sha: string;
  env: string;
  app: string;
  nonce: string;
}
export type TrackedRelease = { repository: string; deploymentId: number } | ({ deploymentId?: undefined } & ReleaseRef);

/**
 * An opaque, URL-safe id for a release, known before anything is written to GitHub (the API answers before the
 * deployment exists): the deployment carries it in its payload, and tracking finds it with one list of the
 * repository's deployments of that sha. Ids this server gave out earlier named the deployment (`<repo>#<id>`).
 */
export function trackingId(repository: string, release: number | Omit<ReleaseRef, "repository">): string {
  const text =
    typeof release === "number"
      ? `${repository}#${release}`
      : `${repository}@${release.sha}/${release.env}/${release.app}/${release.nonce}`;
  return Buffer.from(text, "utf8").toString("base64url");
}

const LEGACY_ID = new RegExp(`^(${REPOSITORY_NAME_SOURCE})#([1-9][0-9]*)$`);
const RELEASE_ID = new RegExp(
  `^(${REPOSITORY_NAME_SOURCE})@([0-9a-f]{7,64})/([a-z0-9-]+)/([a-z0-9-]+)/([0-9a-f]{8,32})$`,
);

export function parseTrackingId(id: string): TrackedRelease {
  const decoded = Buffer.from(id, "base64url").toString("utf8");
  const legacy = LEGACY_ID.exec(decoded);
  if (legacy?.[1] && legacy[2]) return { repository: legacy[1], deploymentId: Number(legacy[2]) };
  const release = RELEASE_ID.exec(decoded);
  if (release?.[1] && release[2] && release[3] && release[4] && release[5])
    return { repository: release[1], sha: release[2], env: release[3], app: release[4], nonce: release[5] };
  throw ConfigError.at("trackingId", "is not a tracking id this server gave out");
}

/** Whether the newest deployment status is the last one the release will get (success, failure, error, inactive). */
export function trackingFinal(statuses: readonly DeploymentStatus[]): boolean {
  const state = statuses[0]?.state;
  return state === "success" || state === "failure" || state === "error" || state === "inactive";
}

/** The release's status from its deployment statuses (newest first) and its payload: states, never descriptions. */
export function trackingStatus(
  statuses: readonly DeploymentStatus[],
  payload: Record<string, unknown> | undefined,
): TrackingStatus {
  const latest = statuses[0];
  if (!latest || latest.state === "queued") return "queued";
  if (latest.state === "in_progress") return appliedInProgress(statuses) ? "applied" : "committed";
  if (latest.state === "success") return successMeansOf(payload);
  // Inactive: a newer release replaced it (or its preview was removed); it was applied as part of a later revision.
  if (latest.state === "inactive") return "applied";
  return "failed";
}

/** The gitops commit a status links to (its log_url ends with the sha). */
export function gitopsShaOf(statuses: readonly DeploymentStatus[]): string | undefined {
  for (const status of statuses) {
    const match = status.logUrl ? /([0-9a-f]{40})(?:[^0-9a-f].*)?$/.exec(status.logUrl) : null;
    if (match) return match[1];
  }
  return undefined;
}
