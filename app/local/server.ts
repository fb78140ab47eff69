import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { parseGimletConfigYaml } from "../../shared/config/index.js";
import type { Clock, Logger } from "../../shared/ports.js";
import type { OidcVerifier } from "../auth/index.js";
import { buildServices } from "../buildServices.js";
import { createRouter } from "../http/router.js";
import type { Limits } from "../limits.js";
import { startPreviewSweeper } from "../previews/sweep.js";
import { DEFAULT_LOOKBACK_MS, DEFAULT_RELEASE_TIMEOUT_MS, OverdueSweeper } from "../releases/overdue.js";
import { apiRoutes } from "../routes/index.js";
import type { AppServices } from "../services.js";
import { LocalConversation } from "./conversation.js";
import { LocalForge } from "./forge.js";
import { localPage } from "./page.js";
import { LocalGitopsRemote } from "./remote.js";
import { localSecrets } from "./secrets.js";
import { LocalSweepSource } from "./sweepSource.js";

export interface LocalServerOptions {
  root: string;
  configFile: string;
  port: number;
  host: string;
  log: Logger;
  /** Flux "applied" waits for the agent's healthy report before a deployment turns green. */
  requireAgentHealth?: boolean;
  /** FLUX_WEBHOOK_SECRETS: a gitops repository listed here settles only with its own secret (else the local one). */
  fluxSecrets?: ReadonlyMap<string, string>;
  /** Unconfirmed releases turn `error` after this long (default 10 minutes); swept every `sweepIntervalMs` (60 s). */
  releaseTimeoutMs?: number;
  sweepIntervalMs?: number;
  clock?: Clock;
  /** Also accept CI OIDC tokens (the CI plugins' tests run against local mode). */
  oidc?: OidcVerifier;
  /** Bounds on one caller's work (default: app/limits.ts defaults). */
  limits?: Limits;
}

export interface LocalServer {
  url: string;
  server: Server;
  services: AppServices;
  /** Printed once, on the first start. */
  newToken?: string;
  tokenFile: string;
  /** The overdue sweep (runs at start and on its timer; tests call `sweep()`). */
  sweeper: OverdueSweeper;
  close(): Promise<void>;
}

/** Local mode (DESIGN §8): the same routes and release core over LocalForge and bare gitops repos under `root`. */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const root = resolve(options.root);
  const secrets = localSecrets(root);
  const server = createServer();
  await new Promise<void>((done) => server.listen(options.port, options.host, done));
  const address = server.address() as AddressInfo;
  const url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${address.port}`;
  const forge = new LocalForge({ root, configFile: resolve(options.configFile), clock: options.clock });
  const remote = new LocalGitopsRemote({ root });
  const conversation = new LocalConversation(forge.store);
  const services = buildServices({
    forge,
    remote,
    auth: { tokens: secrets.tokens, ...(options.oidc ? { oidc: options.oidc } : {}) },
    log: options.log,
    fluxSecret: secrets.fluxSecret,
    fluxSecrets: options.fluxSecrets,
    agentTokens: [{ sha256: secrets.agentTokenHash }],
    requireAgentHealth: options.requireAgentHealth,
    releaseTimeoutMs: options.releaseTimeoutMs,
    clock: options.clock,
    workDir: join(root, "work"),
    configTtlMs: 0,
    conversation,
    limits: options.limits,
  });
  const configFor = async () => {
    const found = await forge.readGimletConfig("local/config");
    if (!found) throw new Error(`no ${options.configFile}`);
    return { config: parseGimletConfigYaml(found.text, found.source), source: found.source };
  };
  const router = createRouter([...apiRoutes(services), localPage(services, configFor, conversation)], {
    log: options.log,
    onResponse: (route, status, seconds) =>
      services.deps.metrics.httpRequests.observe({ route, status: String(status) }, seconds),
  });
  // Local mode's one config covers every repository: its envs are the gitops folders to sweep.
  const previewSweeper = startPreviewSweeper(services, {
    intervalMs: 60_000,
    sources: async () => [{ repository: "local/config", config: (await configFor()).config }],
  });
  server.on("request", (req, res) => {
    router(req, res)
      .then((handled) => {
        if (!handled) {
          res.writeHead(404, { "content-type": "application/json" });
          res.end(
            JSON.stringify({ error: { code: "not_found", message: `no route ${req.method} ${req.url}`, details: [] } }),
          );
        }
      })
      .catch((error) => {
        options.log.error({ err: error }, "unhandled request error");
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
  const sweeper = new OverdueSweeper(services.deps, new LocalSweepSource(forge), {
    timeoutMs: options.releaseTimeoutMs ?? DEFAULT_RELEASE_TIMEOUT_MS,
    lookbackMs: DEFAULT_LOOKBACK_MS,
    intervalMs: options.sweepIntervalMs ?? 60_000,
  });
  sweeper.start();
  return {
    url,
    server,
    services,
    sweeper,
    newToken: secrets.newToken,
    tokenFile: secrets.tokenFile,
    async close() {
      previewSweeper.stop();
      await sweeper.stop();
      await Promise.allSettled([...services.inflight]);
      await new Promise<void>((done) => server.close(() => done()));
      await services.deps.writer.close();
    },
  };
}
