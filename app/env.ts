import { z } from "zod";
import { parseWith } from "../shared/validation.js";

const booleanText = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/** The server's environment variables, validated once at start (every problem reported together). */
export const serverEnvSchema = z.object({
  APP_ID: z.string().regex(/^\d+$/, "must be the numeric GitHub App id").optional(),
  PRIVATE_KEY: z.string().optional(),
  PRIVATE_KEY_PATH: z.string().optional(),
  WEBHOOK_SECRET: z.string().min(1).optional(),
  PORT: z.string().regex(/^\d+$/, "must be a port number").default("3000").transform(Number),
  HOST: z.string().optional(),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  GIMLET_OIDC_AUDIENCE: z.string().min(1).default("gimlet"),
  GIMLET_OIDC_ISSUERS: z.string().optional(),
  GIMLET_API_TOKENS: z.string().optional(),
  FLUX_WEBHOOK_SECRET: z.string().min(16, "use at least 16 characters").optional(),
  GIMLET_WORK_DIR: z.string().optional(),
  GIMLET_AGENT_TOKENS: z
    .string()
    .regex(
      /^[0-9a-f]{64}(=[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)?(,[0-9a-f]{64}(=[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)?)*$/,
      "must be comma-separated sha256 hex hashes of the agent tokens, each optionally =owner/gitops-repo",
    )
    .optional(),
  GIMLET_REQUIRE_AGENT_HEALTH: booleanText.default(false),
  GIMLET_LOCAL_DIR: z.string().default(".gimlet-local"),
  GIMLET_LOCAL_CONFIG: z.string().default("gimlet.local.yml"),
  GITHUB_WEB_URL: z.string().url().default("https://github.com"),
  /** Shares Probot's throttle (one installation's write budget) across replicas; without it each replica throttles alone. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, "must be a redis:// or rediss:// URL")
    .optional(),
});

export type ServerEnv = z.output<typeof serverEnvSchema>;

export function parseServerEnv(env: NodeJS.ProcessEnv): ServerEnv {
  return parseWith(serverEnvSchema, env, "the server environment");
}

/** GitHub mode needs the App's credentials; without them the server runs in local mode. */
export function isGitHubMode(env: ServerEnv): boolean {
  return Boolean(env.APP_ID && (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH));
}

/**
 * The OIDC issuers trusted by default: GitHub Actions only. A GitLab project or a CircleCI org is not a GitHub
 * repository, even when the names match: trusting them is an explicit GIMLET_OIDC_ISSUERS entry with `repositories`.
 */
export const defaultOidcIssuers = [{ kind: "github" as const, issuer: "https://token.actions.githubusercontent.com" }];
