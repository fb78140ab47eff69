import { z } from "zod";
import { parseWith } from "../../shared/validation.js";

/** The part of a Flux notification-controller event (generic / generic-hmac provider) the app reads. */
const fluxEventSchema = z.looseObject({
  involvedObject: z.looseObject({ kind: z.string(), name: z.string(), namespace: z.string().optional() }),
  severity: z.enum(["info", "error", "trace"]),
  timestamp: z.string().optional(),
  message: z.string().default(""),
  reason: z.string().default(""),
  metadata: z.record(z.string(), z.string()).optional(),
  reportingController: z.string().optional(),
});

export interface FluxEvent {
  kind: string;
  name: string;
  namespace?: string;
  severity: "info" | "error" | "trace";
  reason: string;
  message: string;
  revision?: { branch?: string; sha: string };
}

/** `main@sha1:<sha>` (Flux v2.x), `main/<sha>` (older), or a bare sha. */
export function parseRevision(revision: string | undefined): { branch?: string; sha: string } | undefined {
  if (!revision) return undefined;
  const [, modernBranch, modernSha] = /^(?:(.+)@)?sha1:([0-9a-f]{40})$/.exec(revision) ?? [];
  if (modernSha) return { branch: modernBranch, sha: modernSha };
  const [, legacyBranch, legacySha] = /^(.+)\/([0-9a-f]{40})$/.exec(revision) ?? [];
  if (legacySha) return { branch: legacyBranch, sha: legacySha };
  if (/^[0-9a-f]{40}$/.test(revision)) return { sha: revision };
  return undefined;
}

export function parseFluxEvent(body: unknown): FluxEvent {
  const event = parseWith(fluxEventSchema, body, "the Flux event");
  return {
    kind: event.involvedObject.kind,
    name: event.involvedObject.name,
    namespace: event.involvedObject.namespace,
    severity: event.severity,
    reason: event.reason,
    message: event.message,
    revision: parseRevision(event.metadata?.revision),
  };
}

export type FluxOutcome = "applied" | "failed" | "ignored";

/**
 * Does the event say a revision was applied, or that applying it failed? Only Kustomization events speak about
 * applying; source events (a fetched revision) say nothing about the cluster.
 */
export function fluxOutcome(event: FluxEvent): FluxOutcome {
  if (event.kind !== "Kustomization" || !event.revision) return "ignored";
  if (event.severity === "error") return "failed";
  if (
    event.severity === "info" &&
    /ReconciliationSucceeded|Progressing|HealthCheck.*Succeeded|Succeeded/.test(event.reason)
  )
    return event.reason === "Progressing" ? "ignored" : "applied";
  return "ignored";
}
