import { z } from "zod";
import { DNS_LABEL, dnsLabelMessage, parseWith } from "../../shared/validation.js";

/** What the cluster agent reports about one app's rollout (DESIGN §10). */
export const agentEventSchema = z.strictObject({
  env: z.string().regex(DNS_LABEL, dnsLabelMessage),
  app: z.string().regex(DNS_LABEL, dnsLabelMessage),
  gitopsRevision: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, "must be the full gitops commit sha Flux applied"),
  image: z.string().optional(),
  ready: z.number().int().nonnegative(),
  desired: z.number().int().nonnegative(),
  reason: z.string().max(200).optional(),
  message: z.string().max(4000).optional(),
});

export type AgentEvent = z.output<typeof agentEventSchema>;

export function parseAgentEvent(body: unknown): AgentEvent {
  return parseWith(agentEventSchema, body, "the agent event");
}

const FAILURE_REASONS =
  /ImagePullBackOff|ErrImagePull|CrashLoopBackOff|ProgressDeadlineExceeded|CreateContainerConfigError|InvalidImageName|OOMKilled|Failed/;

/** Healthy when every desired replica is ready and no failure is named; failed for the rollout failures the agent watches. */
export function rolloutOutcome(event: AgentEvent): "healthy" | "failed" | "progressing" {
  if (event.reason && FAILURE_REASONS.test(event.reason)) return "failed";
  if (event.ready >= event.desired && event.desired > 0 && !event.reason) return "healthy";
  if (event.desired === 0 && !event.reason) return "healthy";
  return "progressing";
}
