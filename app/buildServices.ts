import { randomBytes } from "node:crypto";
import type { Conversation } from "../shared/commands/index.js";
import { GitopsWriter } from "../shared/gitops/index.js";
import { type Clock, type Forge, type GitopsRemote, type Logger, systemClock } from "../shared/ports.js";
import type { AgentTokenRecord, AuthDeps } from "./auth/index.js";
import { defaultLimits, type Limits } from "./limits.js";
import { Metrics } from "./metrics.js";
import { ConfigCache } from "./releases/configCache.js";
import { DeployFirst } from "./releases/deployFirst.js";
import { DeploymentEnvironments } from "./releases/environmentNames.js";
import type { AppServices } from "./services.js";

export interface ServiceParts {
  forge: Forge;
  remote: GitopsRemote;
  auth: AuthDeps;
  log: Logger;
  fluxSecret?: string;
  fluxSecrets?: ReadonlyMap<string, string>;
  agentTokens?: AgentTokenRecord[];
  /** Where the warm gitops clones live; default a temp folder. */
  workDir?: string;
  requireAgentHealth?: boolean;
  releaseTimeoutMs?: number;
  clock?: Clock;
  metrics?: Metrics;
  configTtlMs?: number;
  /** GIMLET_REQUIRE_ORG_CONFIG: without the organisation's .github/gimlet.yml, nothing deploys. */
  requireOrgConfig?: boolean;
  conversation?: Conversation;
  /** Default: `defaultLimits`. */
  limits?: Limits;
  webhookSecret?: string;
}

/** The same services in GitHub mode and local mode: only the Forge, the remote and the auth differ. */
export function buildServices(parts: ServiceParts): AppServices {
  const clock = parts.clock ?? systemClock;
  const metrics = parts.metrics ?? new Metrics({ processMetrics: true });
  const limits = parts.limits ?? { ...defaultLimits };
  const writer = new GitopsWriter({
    workDir: parts.workDir,
    logger: parts.log,
    clock,
    resolveUrl: (repository) => parts.remote.cloneUrl(repository),
    resolveEnv: async (repository) => parts.remote.gitEnv?.(repository),
    onPushRejected: () => metrics.pushRetries.inc(),
    maxConcurrentPerSource: limits.maxConcurrentReleases,
  });
  return {
    deps: {
      forge: parts.forge,
      remote: parts.remote,
      writer,
      clock,
      random: (n) => randomBytes(n),
      log: parts.log,
      metrics,
      requireAgentHealth: parts.requireAgentHealth ?? false,
      releaseTimeoutMs: parts.releaseTimeoutMs,
      environments: new DeploymentEnvironments(parts.forge, clock, parts.log),
      deployFirst: new DeployFirst(),
    },
    configs: new ConfigCache(parts.forge, clock, parts.configTtlMs ?? 60_000, {
      requireOrgConfig: parts.requireOrgConfig,
    }),
    auth: parts.auth,
    fluxSecret: parts.fluxSecret,
    fluxSecrets: parts.fluxSecrets,
    agentTokens: parts.agentTokens ?? [],
    log: parts.log,
    conversation: parts.conversation,
    limits,
    webhookSecret: parts.webhookSecret,
    inflight: new Set(),
  };
}
