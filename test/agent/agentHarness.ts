import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { kubeApi } from "../../plugins/flux-agent/kube.js";
import { FluxAgent } from "../../plugins/flux-agent/main.js";
import { type AgentEvent, EventPoster } from "../../plugins/flux-agent/post.js";
import { silentLogger } from "../../shared/ports.js";
import { FakeKube } from "../helpers/fakeKube.js";

export const AGENT_TOKEN = "agent-token-0123456789abcdef";

/** What the app's /api/agent/events received; `failNext` answers 503 that many times first (the app is down). */
export class FakeGimlet {
  readonly received: Array<{ query: string; auth?: string; event: AgentEvent }> = [];
  failNext = 0;
  refused = 0;
  private server: Server | undefined;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        if (this.failNext > 0) {
          this.failNext--;
          this.refused++;
          res.writeHead(503).end("{}");
          return;
        }
        const url = new URL(req.url ?? "/", "http://x");
        this.received.push({
          query: `${url.pathname}${url.search}`,
          auth: req.headers.authorization,
          event: JSON.parse(body),
        });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  events(): AgentEvent[] {
    return this.received.map((r) => r.event);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

export interface AgentRig {
  kube: FakeKube;
  gimlet: FakeGimlet;
  agent: FluxAgent;
  poster: EventPoster;
  stop(): Promise<void>;
}

/** The agent against a fake API server and a fake app, both on loopback; short settle and retry times. */
export async function startAgentRig(
  now = new Date("2026-12-01T10:05:00Z"),
  seed?: (kube: FakeKube) => void,
  target?: { url: string; token: string },
): Promise<AgentRig> {
  const kube = new FakeKube();
  await kube.start();
  seed?.(kube);
  const gimlet = new FakeGimlet();
  await gimlet.start();
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const poster = new EventPoster({
    serverUrl: target?.url ?? gimlet.url,
    token: target?.token ?? AGENT_TOKEN,
    repository: "acme/gitops",
    branch: "main",
    retryInitialMs: 5,
    retryMaxMs: 20,
    log: silentLogger,
    sleep,
  });
  const agent = new FluxAgent({
    api: kubeApi(kube.kubeConfig()),
    send: (event) => poster.send(event),
    clock: { now: () => now },
    log: process.env.AGENT_DEBUG
      ? { ...silentLogger, warn: (o: object, m?: string) => console.warn(m, o) }
      : silentLogger,
    sleep,
    settleMs: 10,
    logLines: 5,
    retryInitialMs: 5,
    retryMaxMs: 20,
    watchTimeoutSeconds: 300,
  });
  agent.start();
  return {
    kube,
    gimlet,
    agent,
    poster,
    async stop() {
      poster.stop();
      await agent.stop();
      await kube.stop();
      await gimlet.stop();
    },
  };
}

/** Poll until `condition` holds (jest's timeout bounds it); no wall-clock assertion. */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
