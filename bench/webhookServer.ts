/**
 * The app's webhook endpoint alone in a process of its own, so its RSS can be read from outside:
 * `node --import tsx bench/webhookServer.ts [stock]` prints its port. With `stock`, Probot's own
 * @octokit/webhooks middleware is put back (how the app read webhooks before app/http/webhooks.ts).
 */
import { generateKeyPairSync } from "node:crypto";
import { pino } from "pino";
import { Probot, Server } from "probot";
import { buildServices } from "../app/buildServices.js";
import { gimletApp } from "../app/index.js";
import { LocalForge } from "../app/local/forge.js";
import { LocalGitopsRemote } from "../app/local/remote.js";
import { Metrics } from "../app/metrics.js";
import { tempDir } from "../test/helpers/gitRepos.js";

const stock = process.argv.includes("stock");
const secret = "bench-webhook-secret";
const root = tempDir("gimlet-bench-webhooks-");
const log = pino({ level: "silent" });
const privateKey = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;
const port = 20000 + Math.floor(Math.random() * 40000);
const server = new Server({
  Probot: Probot.defaults({ appId: 1, privateKey, secret, log }),
  host: "127.0.0.1",
  port,
  log,
  enableStaticFiles: false,
});
const app = gimletApp(() =>
  buildServices({
    forge: new LocalForge({ root, configFile: `${root}/none.yml` }),
    remote: new LocalGitopsRemote({ root }),
    auth: {},
    log,
    metrics: new Metrics(),
    webhookSecret: secret,
  }),
);
await server.load(async (probot, options) => {
  await app(probot, options);
  if (stock) probot.getNodeMiddleware = Probot.prototype.getNodeMiddleware;
});
await server.start();
process.stdout.write(`${port}\n`);
if (process.env.BENCH_MEMORY_TRACE) {
  setInterval(() => {
    const m = process.memoryUsage();
    process.stderr.write(
      `rss=${(m.rss / 2 ** 20).toFixed(0)} heap=${(m.heapUsed / 2 ** 20).toFixed(0)} ext=${(m.external / 2 ** 20).toFixed(0)} ab=${(m.arrayBuffers / 2 ** 20).toFixed(0)}\n`,
    );
  }, 100).unref();
}
