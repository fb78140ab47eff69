import { readFileSync } from "node:fs";
import type { Logger as PinoLogger } from "pino";
import { Probot, Server } from "probot";
import { z } from "zod";
import { parseWith } from "../shared/validation.js";
import {
  ApiTokenStore,
  type OidcIssuerConfig,
  OidcVerifier,
  parseAgentTokens,
  parseApiTokenRecords,
} from "./auth/index.js";
import { buildServices } from "./buildServices.js";
import { defaultOidcIssuers, type ServerEnv } from "./env.js";
import { GitHubForge, GitHubGitopsRemote, installationOctokitFactory } from "./github/index.js";
import { gimletApp } from "./index.js";
import type { AppServices } from "./services.js";

const issuersSchema = z.array(
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

export interface GitHubServer {
  server: Server;
  /** Stop taking requests, let releases in flight finish their push (bounded), then stop. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Probot's options in GitHub mode. Its throttle stays on; with REDIS_URL it is clustered through Redis (Bottleneck),
 * so the replicas share each installation's write budget instead of each spending it alone (docs/performance.md).
 */
export function probotOptions(env: ServerEnv, privateKey: string, log: PinoLogger) {
  return {
    appId: env.APP_ID,
    privateKey,
    secret: env.WEBHOOK_SECRET,
    log,
    ...(env.REDIS_URL ? { redisConfig: env.REDIS_URL } : {}),
  };
}

/** GitHub mode: Probot's server (webhooks verified with WEBHOOK_SECRET) with the API routes beside it. */
export async function startGitHubServer(env: ServerEnv, log: PinoLogger): Promise<GitHubServer> {
  let services: AppServices | undefined;
  const privateKey = env.PRIVATE_KEY ?? readFileSync(env.PRIVATE_KEY_PATH as string, "utf8");
  const issuers: OidcIssuerConfig[] = env.GIMLET_OIDC_ISSUERS
    ? parseWith(issuersSchema, JSON.parse(env.GIMLET_OIDC_ISSUERS), "GIMLET_OIDC_ISSUERS")
    : defaultOidcIssuers;
  const tokens = env.GIMLET_API_TOKENS ? new ApiTokenStore(parseApiTokenRecords(env.GIMLET_API_TOKENS)) : undefined;
  const server = new Server({
    Probot: Probot.defaults(probotOptions(env, privateKey, log)),
    port: env.PORT,
    host: env.HOST,
    log,
    enableStaticFiles: false,
  });
  await server.load(
    gimletApp((app) => {
      const octokitFor = installationOctokitFactory(app);
      services = buildServices({
        forge: new GitHubForge(octokitFor, { webBaseUrl: env.GITHUB_WEB_URL }),
        remote: new GitHubGitopsRemote(octokitFor, { gitBaseUrl: env.GITHUB_WEB_URL }),
        auth: { oidc: new OidcVerifier({ issuers, audience: env.GIMLET_OIDC_AUDIENCE }), tokens },
        log,
        fluxSecret: env.FLUX_WEBHOOK_SECRET,
        agentTokens: parseAgentTokens(env.GIMLET_AGENT_TOKENS),
        workDir: env.GIMLET_WORK_DIR,
        requireAgentHealth: env.GIMLET_REQUIRE_AGENT_HEALTH,
      });
      return services;
    }),
  );
  await server.start();
  return {
    server,
    async stop(graceMs = 20_000) {
      await server.stop();
      if (!services) return;
      const inflight = Promise.allSettled([...services.inflight]);
      await Promise.race([inflight, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      await services.deps.writer.close();
    },
  };
}
