import { createPrivateKey } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { z } from "zod";
import { parseGimletConfigYaml } from "../shared/config/index.js";
import { ConfigError, GimletError, type Problem } from "../shared/errors.js";
import { zodProblems } from "../shared/validation.js";
import {
  type ApiTokenRecord,
  type OidcIssuerConfig,
  parseAgentTokens,
  parseApiTokenRecords,
  parseFluxSecrets,
} from "./auth/index.js";
import { defaultOidcIssuers, type ServerEnv } from "./env.js";

export const issuersSchema = z.array(
  z
    .object({
      kind: z.enum(["github", "circleci", "gitlab"]),
      issuer: z.string().url(),
      audience: z.union([z.string(), z.array(z.string())]).optional(),
      repositories: z.array(z.string()).min(1).optional(),
    })
    .refine((issuer) => issuer.kind === "github" || issuer.repositories !== undefined, {
      message:
        "a GitLab or CircleCI issuer needs `repositories` (globs of the GitHub repositories its projects may act for): their project names are not GitHub's",
      path: ["repositories"],
    }),
);

/** Where the server talks to GitHub: github.com, or one GitHub Enterprise Server host for REST, JWT calls and git. */
export interface GitHubEndpoints {
  /** Octokit's baseUrl; undefined = api.github.com. */
  restBaseUrl?: string;
  gitBaseUrl: string;
  webBaseUrl: string;
}

export interface GitHubModeSettings {
  privateKey: string;
  webhookSecret: string;
  endpoints: GitHubEndpoints;
}

/** Everything the server trusts, validated before it listens. */
export interface StartupPlan {
  mode: "github" | "local";
  github?: GitHubModeSettings;
  issuers: OidcIssuerConfig[];
  apiTokens?: ApiTokenRecord[];
  fluxSecrets: Map<string, string>;
}

function jsonProblems<T>(variable: string, text: string, schema: z.ZodType<T>): { value?: T; problems: Problem[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problems: [{ path: variable, message: `not JSON (${(error as Error).message})` }] };
  }
  const result = schema.safeParse(value);
  if (result.success) return { value: result.data, problems: [] };
  return {
    problems: zodProblems(result.error).map((p) => ({
      path: prefixed(variable, p.path),
      message: p.message,
    })),
  };
}

function prefixed(variable: string, path: string): string {
  return path ? `${variable}${path.startsWith("[") ? "" : "."}${path}` : variable;
}

function collect(problems: Problem[], fn: () => void): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof GimletError)) throw error;
    problems.push(...(error.problems.length ? error.problems : [{ path: "", message: error.message }]));
  }
}

export function githubEndpoints(env: ServerEnv): GitHubEndpoints {
  if (!env.GHE_HOST) return { gitBaseUrl: env.GITHUB_WEB_URL, webBaseUrl: env.GITHUB_WEB_URL };
  const base = `${env.GHE_PROTOCOL}://${env.GHE_HOST}`;
  // GITHUB_WEB_URL left at its default means "the same host".
  const web = env.GITHUB_WEB_URL === "https://github.com" ? base : env.GITHUB_WEB_URL;
  return { restBaseUrl: `${base}/api/v3`, gitBaseUrl: base, webBaseUrl: web };
}

/**
 * Fail fast (issue 10): every misconfiguration that would otherwise show up at the first webhook or push, reported
 * together as `path: message` before anything listens. Partial GitHub credentials are an error, never local mode.
 */
export function planStartup(env: ServerEnv): StartupPlan {
  const problems: Problem[] = [];
  const hasKey = Boolean(env.PRIVATE_KEY || env.PRIVATE_KEY_PATH);
  const githubMode = Boolean(env.APP_ID) || hasKey || Boolean(env.WEBHOOK_SECRET);
  let github: GitHubModeSettings | undefined;
  if (githubMode) {
    if (!env.APP_ID)
      problems.push({ path: "APP_ID", message: "required with PRIVATE_KEY/WEBHOOK_SECRET: the GitHub App's id" });
    if (!hasKey)
      problems.push({
        path: "PRIVATE_KEY",
        message:
          "required in GitHub mode (or PRIVATE_KEY_PATH): the GitHub App's private key; unset APP_ID for local mode",
      });
    if (env.PRIVATE_KEY && env.PRIVATE_KEY_PATH)
      problems.push({ path: "PRIVATE_KEY_PATH", message: "set PRIVATE_KEY or PRIVATE_KEY_PATH, not both" });
    let privateKey = env.PRIVATE_KEY?.replace(/\\n/g, "\n");
    if (!privateKey && env.PRIVATE_KEY_PATH) {
      try {
        privateKey = readFileSync(env.PRIVATE_KEY_PATH, "utf8");
      } catch (error) {
        problems.push({
          path: "PRIVATE_KEY_PATH",
          message: `cannot read ${env.PRIVATE_KEY_PATH} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`,
        });
      }
    }
    if (privateKey) {
      try {
        createPrivateKey(privateKey);
      } catch {
        problems.push({
          path: env.PRIVATE_KEY ? "PRIVATE_KEY" : "PRIVATE_KEY_PATH",
          message: "not a PEM private key (download a new one from the GitHub App's settings)",
        });
      }
    }
    if (!env.WEBHOOK_SECRET)
      problems.push({ path: "WEBHOOK_SECRET", message: "required in GitHub mode: the GitHub App's webhook secret" });
    if (privateKey && env.WEBHOOK_SECRET)
      github = { privateKey, webhookSecret: env.WEBHOOK_SECRET, endpoints: githubEndpoints(env) };
  }
  // On GitHub Enterprise Server, Actions' tokens come from the instance itself, not from token.actions.githubusercontent.com.
  let issuers: OidcIssuerConfig[] = env.GHE_HOST
    ? [{ kind: "github", issuer: `${env.GHE_PROTOCOL}://${env.GHE_HOST}/_services/token` }]
    : defaultOidcIssuers;
  if (env.GIMLET_OIDC_ISSUERS !== undefined) {
    const parsed = jsonProblems("GIMLET_OIDC_ISSUERS", env.GIMLET_OIDC_ISSUERS, issuersSchema);
    problems.push(...parsed.problems);
    if (parsed.value) issuers = parsed.value;
  }
  let apiTokens: ApiTokenRecord[] | undefined;
  if (env.GIMLET_API_TOKENS !== undefined) {
    const tokenProblems: Problem[] = [];
    try {
      JSON.parse(env.GIMLET_API_TOKENS);
      collect(tokenProblems, () => {
        apiTokens = parseApiTokenRecords(env.GIMLET_API_TOKENS as string);
      });
    } catch (error) {
      tokenProblems.push({ path: "", message: `not JSON (${(error as Error).message})` });
    }
    problems.push(...tokenProblems.map((p) => ({ ...p, path: prefixed("GIMLET_API_TOKENS", p.path) })));
  }
  let fluxSecrets = new Map<string, string>();
  collect(problems, () => {
    fluxSecrets = parseFluxSecrets(env.FLUX_WEBHOOK_SECRETS);
  });
  collect(problems, () => void parseAgentTokens(env.GIMLET_AGENT_TOKENS));
  if (!githubMode) {
    // Local mode reads its environments from this file on every request: a typo should stop the start, not the first push.
    if (existsSync(env.GIMLET_LOCAL_CONFIG))
      collect(
        problems,
        () => void parseGimletConfigYaml(readFileSync(env.GIMLET_LOCAL_CONFIG, "utf8"), env.GIMLET_LOCAL_CONFIG),
      );
    else problems.push({ path: "GIMLET_LOCAL_CONFIG", message: `${env.GIMLET_LOCAL_CONFIG} does not exist` });
  }
  if (problems.length) throw ConfigError.of(problems.map((p) => (p.path ? p : { ...p, path: "environment" })));
  return { mode: githubMode ? "github" : "local", github, issuers, apiTokens, fluxSecrets };
}

/** A busy port is a `PORT: …` line before anything starts, not a stack trace from inside the server. */
export async function checkPortFree(port: number, host: string | undefined): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" || error.code === "EACCES")
        reject(
          ConfigError.at(
            "PORT",
            `${port} is ${error.code === "EADDRINUSE" ? "in use" : "not allowed"} on ${host ?? "all interfaces"}; set PORT to a free port`,
          ),
        );
      else reject(error);
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** What a started server trusts, for its first log line: counts and issuers, never a secret. */
export function trustSummary(plan: StartupPlan, env: ServerEnv, agentTokens: number): Record<string, unknown> {
  return {
    mode: plan.mode,
    ...(plan.github
      ? {
          github: plan.github.endpoints.restBaseUrl ?? "https://api.github.com",
          git: plan.github.endpoints.gitBaseUrl,
          ...(env.GHE_ORG ? { gheOrg: env.GHE_ORG } : {}),
        }
      : {}),
    oidcIssuers: plan.mode === "github" ? plan.issuers.map((i) => `${i.kind} ${i.issuer}`) : [],
    apiTokens: plan.apiTokens?.length ?? 0,
    agentTokens,
    fluxSecrets: plan.fluxSecrets.size,
    sharedFluxSecret: Boolean(env.FLUX_WEBHOOK_SECRET),
    requireOrgConfig: env.GIMLET_REQUIRE_ORG_CONFIG,
  };
}
