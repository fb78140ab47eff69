import type { Conversation } from "../shared/commands/index.js";
import type { Logger } from "../shared/ports.js";
import type { AgentTokenRecord, AuthDeps } from "./auth/index.js";
import type { Limits } from "./limits.js";
import type { ConfigCache } from "./releases/configCache.js";
import type { ReleaseDeps } from "./releases/deps.js";

/** Everything the routes and webhook handlers share; built once per process by server.ts or local mode. */
export interface AppServices {
  deps: ReleaseDeps;
  configs: ConfigCache;
  auth: AuthDeps;
  /** The Flux notification-controller generic-hmac secret; without it, /api/flux-events answers 503. */
  fluxSecret?: string;
  /** Per gitops repository (lowercase owner/repo → secret): a repository listed here settles only with its own secret. */
  fluxSecrets?: ReadonlyMap<string, string>;
  /** The cluster agents' bearer tokens, by SHA-256 hash, each optionally scoped to one gitops repository. */
  agentTokens: AgentTokenRecord[];
  log: Logger;
  /** Pull requests, comments, reactions, permissions (comment commands, preview comments); absent: commands are off. */
  conversation?: Conversation;
  /** The GitHub webhook secret, when known here: webhook bodies are then verified while they stream in. */
  webhookSecret?: string;
  /** The bounds on one caller's work (app/limits.ts). */
  limits: Limits;
  /** Releases still pushing; tests and graceful shutdown wait for them. */
  inflight: Set<Promise<unknown>>;
}

/** Keep a background promise referenced until it settles. */
export function track(services: AppServices, promise: Promise<unknown>): void {
  services.inflight.add(promise);
  void promise.finally(() => services.inflight.delete(promise));
}
