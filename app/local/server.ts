import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { parseGimletConfigYaml } from "../../shared/config/index.js";
import type { Logger } from "../../shared/ports.js";
import { buildServices } from "../buildServices.js";
import { createRouter } from "../http/router.js";
import type { Limits } from "../limits.js";
import { apiRoutes } from "../routes/index.js";
import type { AppServices } from "../services.js";
import { LocalForge } from "./forge.js";
import { localPage } from "./page.js";
import { LocalGitopsRemote } from "./remote.js";
import { localSecrets } from "./secrets.js";

export interface LocalServerOptions {
  root: string;
  configFile: string;
  port: number;
  host: string;
  log: Logger;
  /** Flux "applied" waits for the agent's healthy report before a deployment turns green. */
  requireAgentHealth?: boolean;
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
  const forge = new LocalForge({ root, configFile: resolve(options.configFile) });
  const remote = new LocalGitopsRemote({ root });
  const services = buildServices({
    forge,
    remote,
    auth: { tokens: secrets.tokens },
    log: options.log,
    fluxSecret: secrets.fluxSecret,
    agentTokens: [{ sha256: secrets.agentTokenHash }],
    requireAgentHealth: options.requireAgentHealth,
    workDir: join(root, "work"),
    configTtlMs: 0,
    limits: options.limits,
  });
  const configFor = async () => {
    const found = await forge.readGimletConfig("local/config");
    if (!found) throw new Error(`no ${options.configFile}`);
    return { config: parseGimletConfigYaml(found.text, found.source), source: found.source };
  };
  const router = createRouter([...apiRoutes(services), localPage(services, configFor)], {
    log: options.log,
    onResponse: (route, status, seconds) =>
      services.deps.metrics.httpRequests.observe({ route, status: String(status) }, seconds),
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
  return {
    url,
    server,
    services,
    newToken: secrets.newToken,
    tokenFile: secrets.tokenFile,
    async close() {
      await Promise.allSettled([...services.inflight]);
      await new Promise<void>((done) => server.close(() => done()));
      await services.deps.writer.close();
    },
  };
}
