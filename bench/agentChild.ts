// The flux agent in its own process for bench/agent.bench.ts: the parent asks for its RSS after N watch events.
import { KubeConfig } from "@kubernetes/client-node";
import { kubeApi } from "../plugins/flux-agent/kube.js";
import { FluxAgent } from "../plugins/flux-agent/main.js";
import { EventPoster } from "../plugins/flux-agent/post.js";
import { silentLogger, systemClock } from "../shared/ports.js";

const kube = new KubeConfig();
kube.loadFromOptions({
  clusters: [{ name: "bench", server: process.env.KUBE_URL, skipTLSVerify: true }],
  users: [{ name: "agent", token: "service-account-token" }],
  contexts: [{ name: "bench", cluster: "bench", user: "agent" }],
  currentContext: "bench",
});
const api = kubeApi(kube);
let events = 0;
const counted = {
  ...api,
  watch: (path: string, query: Parameters<typeof api.watch>[1], onEvent: Parameters<typeof api.watch>[2]) =>
    api.watch(path, query, (type, object) => {
      if (type !== "BOOKMARK") events++;
      onEvent(type, object);
    }),
};
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const poster = new EventPoster({
  serverUrl: process.env.GIMLET_URL as string,
  token: "bench-token-0123456789",
  repository: "acme/gitops",
  branch: "main",
  retryInitialMs: 10,
  retryMaxMs: 100,
  log: silentLogger,
  sleep,
});
const agent = new FluxAgent({
  api: counted,
  send: (event) => poster.send(event),
  clock: systemClock,
  log: silentLogger,
  sleep,
  settleMs: 20,
  logLines: 0,
  retryInitialMs: 10,
  retryMaxMs: 100,
  watchTimeoutSeconds: 300,
});
agent.start();

process.on("message", (message: { events: number }) => {
  void (async () => {
    while (events < message.events) await sleep(10);
    await agent.settled();
    await poster.idle();
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    process.send?.({
      events,
      rss: process.memoryUsage().rss,
      heapUsed: process.memoryUsage().heapUsed,
      objects: agent.store.size(),
    });
  })();
});
process.send?.({ ready: true });
