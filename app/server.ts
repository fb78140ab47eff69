import type { Logger as PinoLogger } from "pino";
import { Probot, Server } from "probot";
import { ApiTokenStore, type OidcIssuerConfig, OidcVerifier, parseAgentTokens } from "./auth/index.js";
import { buildServices } from "./buildServices.js";
import type { ServerEnv } from "./env.js";
import { GitHubConversation, GitHubForge, GitHubGitopsRemote, installationOctokitFactory } from "./github/index.js";
import { GitHubSweepSource } from "./github/sweepSource.js";
import { gimletApp } from "./index.js";
import { limitsFromEnv } from "./limits.js";
import { startPreviewSweeper, sweepSources } from "./previews/sweep.js";
import { DEFAULT_LOOKBACK_MS, OverdueSweeper } from "./releases/overdue.js";
import type { AppServices } from "./services.js";
import { planStartup, type StartupPlan } from "./startup.js";

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
export async function startGitHubServer(env: ServerEnv, log: PinoLogger, plan?: StartupPlan): Promise<GitHubServer> {
  let services: AppServices | undefined;
  let sweeper: OverdueSweeper | undefined;
  const checked = plan ?? planStartup(env);
  if (!checked.github) throw new Error("startGitHubServer needs GitHub App credentials");
  const { privateKey, webhookSecret, endpoints } = checked.github;
  const issuers: OidcIssuerConfig[] = checked.issuers;
  const tokens = checked.apiTokens ? new ApiTokenStore(checked.apiTokens) : undefined;
  const server = new Server({
    Probot: Probot.defaults({
      ...probotOptions(env, privateKey, log),
      secret: webhookSecret,
      // GitHub Enterprise Server: REST and the App's JWT calls go to GHE_HOST (git does too, below)
      ...(endpoints.restBaseUrl ? { baseUrl: endpoints.restBaseUrl } : {}),
    }),
    port: env.PORT,
    host: env.HOST,
    log,
    enableStaticFiles: false,
  });
  await server.load(
    gimletApp((app) => {
      const octokitFor = installationOctokitFactory(app);
      services = buildServices({
        forge: new GitHubForge(octokitFor, { webBaseUrl: endpoints.webBaseUrl }),
        remote: new GitHubGitopsRemote(octokitFor, {
          gitBaseUrl: endpoints.gitBaseUrl,
          webBaseUrl: endpoints.webBaseUrl,
        }),
        auth: { oidc: new OidcVerifier({ issuers, audience: env.GIMLET_OIDC_AUDIENCE }), tokens },
        log,
        fluxSecret: env.FLUX_WEBHOOK_SECRET,
        fluxSecrets: checked.fluxSecrets,
        requireOrgConfig: env.GIMLET_REQUIRE_ORG_CONFIG,
        agentTokens: parseAgentTokens(env.GIMLET_AGENT_TOKENS),
        workDir: env.GIMLET_WORK_DIR,
        requireAgentHealth: env.GIMLET_REQUIRE_AGENT_HEALTH,
        releaseTimeoutMs: env.GIMLET_RELEASE_TIMEOUT_SECONDS * 1000,
        limits: limitsFromEnv(env),
        webhookSecret,
        conversation: new GitHubConversation(octokitFor, { webBaseUrl: endpoints.webBaseUrl }),
      });
      sweeper = new OverdueSweeper(services.deps, new GitHubSweepSource(app, octokitFor), {
        timeoutMs: env.GIMLET_RELEASE_TIMEOUT_SECONDS * 1000,
        lookbackMs: DEFAULT_LOOKBACK_MS,
        intervalMs: env.GIMLET_SWEEP_INTERVAL_SECONDS * 1000,
      });
      return services;
    }),
  );
  await server.start();
  sweeper?.start();
  const configured = env.GIMLET_SWEEP_REPOSITORIES?.split(",") ?? [];
  const previewSweeper =
    services && env.GIMLET_PREVIEW_SWEEP_MINUTES > 0
      ? startPreviewSweeper(services, {
          intervalMs: env.GIMLET_PREVIEW_SWEEP_MINUTES * 60_000,
          sources: () => sweepSources(services as AppServices, configured),
        })
      : undefined;
  return {
    server,
    async stop(graceMs = 20_000) {
      previewSweeper?.stop();
      await server.stop();
      await sweeper?.stop();
      if (!services) return;
      const inflight = Promise.allSettled([...services.inflight]);
      await Promise.race([inflight, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      await services.deps.writer.close();
    },
  };
}
