import { ConfigError } from "../../shared/errors.js";
import type { DeploymentStatus } from "../../shared/ports.js";

export type TrackingStatus = "queued" | "committed" | "applied" | "healthy" | "failed";

/** Status descriptions the app writes; tracking reads them back, so GitHub stays the only state. */
export const APPLIED_PREFIX = "Applied by Flux";
export const HEALTHY_PREFIX = "Healthy";

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

export function parseTrackingId(id: string): TrackedRelease {
  const decoded = Buffer.from(id, "base64url").toString("utf8");
  const legacy = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)#([1-9][0-9]*)$/.exec(decoded);
  if (legacy?.[1] && legacy[2]) return { repository: legacy[1], deploymentId: Number(legacy[2]) };
  const release =
    /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)@([0-9a-f]{7,64})\/([a-z0-9-]+)\/([a-z0-9-]+)\/([0-9a-f]{8,32})$/.exec(decoded);
  if (release?.[1] && release[2] && release[3] && release[4] && release[5])
    return { repository: release[1], sha: release[2], env: release[3], app: release[4], nonce: release[5] };
  throw ConfigError.at("trackingId", "is not a tracking id this server gave out");
}

/** Whether the newest deployment status is the last one the release will get (success, failure, error, inactive). */
export function trackingFinal(statuses: readonly DeploymentStatus[]): boolean {
  const state = statuses[0]?.state;
  return state === "success" || state === "failure" || state === "error" || state === "inactive";
}

/** The release's status from its newest deployment status. */
export function trackingStatus(statuses: readonly DeploymentStatus[]): TrackingStatus {
  const latest = statuses[0];
  if (!latest || latest.state === "queued") return "queued";
  if (latest.state === "in_progress") return latest.description?.startsWith(APPLIED_PREFIX) ? "applied" : "committed";
  if (latest.state === "success") return latest.description?.startsWith(APPLIED_PREFIX) ? "applied" : "healthy";
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
