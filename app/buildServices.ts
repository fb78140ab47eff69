import { randomBytes } from "node:crypto";
import { GitopsWriter } from "../shared/gitops/index.js";
import { type Clock, type Forge, type GitopsRemote, type Logger, systemClock } from "../shared/ports.js";
import type { AgentTokenRecord, AuthDeps } from "./auth/index.js";
import { Metrics } from "./metrics.js";
import { DeployFirst } from "./releases/deployFirst.js";
import { DeploymentEnvironments } from "./releases/environmentNames.js";
import { ConfigCache } from "./releases/configCache.js";
import type { AppServices } from "./services.js";

export interface ServiceParts {
  forge: Forge;
  remote: GitopsRemote;
  auth: AuthDeps;
  log: Logger;
  fluxSecret?: string;
  agentTokens?: AgentTokenRecord[];
  /** Where the warm gitops clones live; default a temp folder. */
  workDir?: string;
  requireAgentHealth?: boolean;
  clock?: Clock;
  metrics?: Metrics;
  configTtlMs?: number;
}

/** The same services in GitHub mode and local mode: only the Forge, the remote and the auth differ. */
export function buildServices(parts: ServiceParts): AppServices {
  const clock = parts.clock ?? systemClock;
  const metrics = parts.metrics ?? new Metrics({ processMetrics: true });
  const writer = new GitopsWriter({
    workDir: parts.workDir,
    logger: parts.log,
    clock,
    resolveUrl: (repository) => parts.remote.cloneUrl(repository),
    onPushRejected: () => metrics.pushRetries.inc(),
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
      environments: new DeploymentEnvironments(parts.forge, clock, parts.log),
      deployFirst: new DeployFirst(),
    },
    configs: new ConfigCache(parts.forge, clock, parts.configTtlMs ?? 60_000),
    auth: parts.auth,
    fluxSecret: parts.fluxSecret,
    agentTokens: parts.agentTokens ?? [],
    log: parts.log,
    inflight: new Set(),
  };
}
