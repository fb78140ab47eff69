import { ConfigError } from "../../shared/errors.js";
import type { DeploymentStatus } from "../../shared/ports.js";

export type TrackingStatus = "queued" | "committed" | "applied" | "healthy" | "failed";

/** Status descriptions the app writes; tracking reads them back, so GitHub stays the only state. */
export const APPLIED_PREFIX = "Applied by Flux";
export const HEALTHY_PREFIX = "Healthy";

/** An opaque, URL-safe id for a release: its GitHub deployment. */
export function trackingId(repository: string, deploymentId: number): string {
  return Buffer.from(`${repository}#${deploymentId}`, "utf8").toString("base64url");
}

export function parseTrackingId(id: string): { repository: string; deploymentId: number } {
  const decoded = Buffer.from(id, "base64url").toString("utf8");
  const [, repository, deploymentId] = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)#([1-9][0-9]*)$/.exec(decoded) ?? [];
  if (!repository || !deploymentId) throw ConfigError.at("trackingId", "is not a tracking id this server gave out");
  return { repository, deploymentId: Number(deploymentId) };
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
