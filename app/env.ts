import { z } from "zod";
import { REPOSITORY_NAME_SOURCE } from "../shared/names.js";
import { parseWith } from "../shared/validation.js";
import { trustEnvShape } from "./trustEnv.js";

/** One `GIMLET_AGENT_TOKENS` entry: a sha256 hex hash, optionally `=owner/gitops-repo`. */
const AGENT_TOKEN = `[0-9a-f]{64}(=${REPOSITORY_NAME_SOURCE})?`;

import { limitsEnvShape } from "./limits.js";

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
      new RegExp(`^${AGENT_TOKEN}(,${AGENT_TOKEN})*$`),
      "must be comma-separated sha256 hex hashes of the agent tokens, each optionally =owner/gitops-repo",
    )
    .optional(),
  GIMLET_REQUIRE_AGENT_HEALTH: booleanText.default(false),
  /** A release neither Flux nor (when required) the agent confirmed in this time turns `error`. */
  GIMLET_RELEASE_TIMEOUT_SECONDS: z
    .string()
    .regex(/^[1-9]\d*$/, "must be a positive whole number of seconds")
    .default("600")
    .transform(Number),
  GIMLET_SWEEP_INTERVAL_SECONDS: z
    .string()
    .regex(/^[1-9]\d*$/, "must be a positive whole number of seconds")
    .default("60")
    .transform(Number),
  GIMLET_LOCAL_DIR: z.string().default(".gimlet-local"),
  GIMLET_LOCAL_CONFIG: z.string().default("gimlet.local.yml"),
  GITHUB_WEB_URL: z.string().url().default("https://github.com"),
  // ── trust boundaries and GitHub Enterprise (issue 10): app/trustEnv.ts, checked in app/startup.ts ──
  ...trustEnvShape,
  /** App repositories whose configured envs the preview TTL sweep always covers (besides those seen releasing previews). */
  GIMLET_SWEEP_REPOSITORIES: z
    .string()
    .regex(
      /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)*$/,
      "must be comma-separated owner/repo",
    )
    .optional(),
  /** Minutes between two preview TTL sweeps (one also runs at start); 0 turns the sweep off. */
  GIMLET_PREVIEW_SWEEP_MINUTES: z
    .string()
    .regex(/^\d+$/, "must be a whole number of minutes")
    .default("15")
    .transform(Number),
  // The bounds on one caller's work (app/limits.ts, docs/limits.md).
  ...limitsEnvShape,
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

/** GitHub mode needs the App's credentials; without them the server runs in local mode (partial ones: see planStartup). */
export function isGitHubMode(env: ServerEnv): boolean {
  return Boolean(env.APP_ID && (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH));
}

/**
 * The OIDC issuers trusted by default: GitHub Actions only. A GitLab project or a CircleCI org is not a GitHub
 * repository, even when the names match: trusting them is an explicit GIMLET_OIDC_ISSUERS entry with `repositories`.
 */
export const defaultOidcIssuers = [{ kind: "github" as const, issuer: "https://token.actions.githubusercontent.com" }];
