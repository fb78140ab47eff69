import { z } from "zod";
import { parseWith } from "../../shared/validation.js";

const positiveInt = (fallback: number) =>
  z.string().regex(/^\d+$/, "must be a whole number").default(String(fallback)).transform(Number);

/** The agent's environment variables, validated at start with every problem reported as `path: message`. */
export const agentEnvSchema = z.object({
  GIMLET_SERVER_URL: z.string().url("must be the app's address, e.g. https://gimlet.example.com"),
  GIMLET_AGENT_TOKEN: z.string().min(16, "must be the agent token (at least 16 characters) from its Secret"),
  GIMLET_GITOPS_REPOSITORY: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "must be the gitops repository this cluster applies, owner/repo"),
  GIMLET_GITOPS_BRANCH: z.string().min(1).default("main"),
  /** Wait this long after a change before deciding, so a Deployment and its Kustomization catch up with each other. */
  GIMLET_SETTLE_MS: positiveInt(2000),
  GIMLET_LOG_LINES: positiveInt(20),
  GIMLET_RETRY_INITIAL_MS: positiveInt(1000),
  GIMLET_RETRY_MAX_MS: positiveInt(60_000),
  GIMLET_WATCH_TIMEOUT_SECONDS: positiveInt(300),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
});

export type AgentConfig = z.output<typeof agentEnvSchema>;

export function parseAgentEnv(env: Record<string, string | undefined>): AgentConfig {
  return parseWith(agentEnvSchema, env, "the agent's environment");
}
