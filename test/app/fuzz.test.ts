import { createHash, createHmac } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import {
  type AppHarness,
  actionsToken,
  exampleArtifact,
  exampleConfig,
  FLUX_SECRET,
  fluxEvent,
  shaOf,
  signWebhook,
  useApps,
  useFakeGitHub,
  webhookExample,
} from "../helpers/appHarness.js";
import { Hostile } from "../helpers/hostile.js";

const gh = useFakeGitHub();
const apps = useApps();
const AGENT_TOKEN = "agent-token-for-fuzz-0123456789ab";

/** The example app's manifests without deploy policies: an accepted artifact releases nothing, so runs stay quick. */
function quietArtifact(): Record<string, unknown> {
  const artifact = exampleArtifact() as unknown as { environments: Array<Record<string, unknown>> };
  for (const manifest of artifact.environments) delete manifest.deploy;
  return artifact as unknown as Record<string, unknown>;
}

/** What a refused request must leave as it was: GitHub writes, deployments, and the files under the work dirs. */
function state(app: AppHarness): string {
  const workDir = dirname(app.services.deps.writer.clonePath({ repo: "acme/x" }));
  const files = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : []);
  const writes = gh.current.calls.filter((c) => c.method !== "GET" && !c.path.endsWith("/access_tokens"));
  return JSON.stringify({
    writes: writes.length,
    deployments: gh.current.deployments.size,
    work: files(workDir),
    gitops: files(join(app.root, "gitops")),
  });
}

interface Sent {
  status: number;
  text: string;
}

async function send(app: AppHarness, path: string, body: string, headers: Record<string, string>): Promise<Sent> {
  const response = await fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/**
 * Run `count` generated requests one after another. Every answer is below 500 and has a JSON error body when it
 * refuses; a refusal changes nothing; the heap stays bounded.
 */
async function fuzz(
  app: AppHarness,
  count: number,
  make: (i: number) => { path: string; body: string; headers: Record<string, string> },
): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) {
    const request = make(i);
    await app.waitIdle(); // an accepted artifact's own writes (check run, file) come after its answer
    const before = state(app);
    const sent = await send(app, request.path, request.body, request.headers);
    statuses.set(sent.status, (statuses.get(sent.status) ?? 0) + 1);
    if (sent.status >= 500) throw new Error(`#${i} answered ${sent.status}: ${sent.text.slice(0, 300)}`);
    if (sent.status >= 400) {
      await app.waitIdle();
      const after = state(app);
      if (after !== before) throw new Error(`#${i} was refused (${sent.status}) but changed state`);
    }
  }
  await app.waitIdle();
  expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(128 * 1024 * 1024);
  return statuses;
}

describe("fuzz: generated hostile input never gets a 5xx, and a refusal changes nothing", () => {
  test("webhooks: 300 forged, malformed, oversized-by-nesting and mutated deliveries", async () => {
    const app = await apps.start();
    const h = new Hostile(13);
    const push = webhookExample("push", (p) => Boolean(p.installation));
    const statuses = await fuzz(app, 300, (i) => {
      const body = h.rawBody(() => push);
      const kind = i % 5;
      const signature =
        kind === 0
          ? h.string()
          : kind === 1
            ? signWebhook(body, "not-the-secret")
            : kind === 2
              ? `sha256=${"0".repeat(64)}`
              : signWebhook(body);
      // Signed deliveries of events no handler takes, so the handlers' own behaviour is not what is fuzzed here.
      const event = kind >= 3 ? h.pick(["star", "fork", "watch", h.string().slice(0, 30) || "x"]) : "push";
      return {
        path: "/api/github/webhooks",
        body,
        headers: {
          "x-github-event": event.replace(/[^\x21-\x7e]/g, "x") || "x",
          "x-github-delivery": `fuzz-${i}`,
          "x-hub-signature-256": signature.replace(/[^\x20-\x7e]/g, "x"),
        },
      };
    });
    expect(statuses.get(400)).toBeGreaterThan(100);
    expect(gh.current.lines()).toEqual([]);
  });

  test("artifacts: 200 mutations of a valid artifact, with a valid token", async () => {
    const app = await apps.start();
    gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig });
    const token = await actionsToken(apps.oidc());
    const h = new Hostile(1313);
    const statuses = await fuzz(app, 200, () => ({
      path: "/api/artifacts",
      body: h.rawBody(quietArtifact),
      headers: { authorization: `Bearer ${token}` },
    }));
    expect(statuses.get(400)).toBeGreaterThan(50);
  });

  test("tokens: 250 forged Authorization headers on every write route: all refused, no GitHub call", async () => {
    const app = await apps.start();
    const h = new Hostile(7);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const routes = ["/api/artifacts", "/api/releases", "/api/rollbacks"];
    const statuses = await fuzz(app, 250, (i) => {
      const forged = [
        () => `Bearer ${h.string()}`,
        () =>
          `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64({ iss: "https://token.actions.githubusercontent.com", aud: "gimlet", repository: "acme/shop" })}.`,
        () =>
          `Bearer ${b64({ alg: h.pick(["HS256", "RS256", "ES256"]), kid: h.string().slice(0, 40) })}.${b64(h.value())}.${h.string().slice(0, 400)}`,
        () => `Bearer gmlt_${h.string().slice(0, 80)}`,
        () => h.string().slice(0, 200),
        () => `Basic ${Buffer.from(`x:${h.string().slice(0, 50)}`).toString("base64")}`,
      ];
      return {
        path: routes[i % routes.length] as string,
        body: JSON.stringify(quietArtifact()),
        headers: {
          authorization: h
            .pick(forged)()
            .replace(/[^\x20-\x7e]/g, "x"),
        },
      };
    });
    // 431: a header over Node's 16 KiB limit is refused by the HTTP server itself.
    expect([...statuses.keys()].filter((s) => s !== 401 && s !== 431)).toEqual([]);
    expect(statuses.get(401)).toBeGreaterThan(200);
    expect(gh.current.lines()).toEqual([]);
  });

  test("Flux events: 250 signed and unsigned events for made-up repositories", async () => {
    const app = await apps.start();
    const h = new Hostile(99);
    const statuses = await fuzz(app, 250, (i) => {
      const body = h.rawBody(() => JSON.parse(fluxEvent(shaOf(i)).body));
      const signed = i % 3 !== 0;
      const repository = encodeURIComponent(h.pick(["acme/unknown", h.string().slice(0, 60), "acme/..", "a/b/c"]));
      return {
        path: `/api/flux-events?repository=${repository}&env=${encodeURIComponent(h.string().slice(0, 30))}`,
        body,
        headers: {
          "x-signature": signed
            ? `sha256=${createHmac("sha256", FLUX_SECRET).update(body).digest("hex")}`
            : h
                .string()
                .slice(0, 80)
                .replace(/[^\x20-\x7e]/g, "x"),
        },
      };
    });
    expect(statuses.get(401)).toBeGreaterThan(50);
  });

  test("agent events: 250 bodies and repositories with a valid agent token", async () => {
    const app = await apps.start();
    app.services.agentTokens.push({ sha256: createHash("sha256").update(AGENT_TOKEN).digest("hex") });
    const h = new Hostile(4242);
    const valid = () => ({ env: "staging", app: "shop", gitopsRevision: shaOf(1), ready: 1, desired: 1 });
    const statuses = await fuzz(app, 250, (i) => ({
      path: `/api/agent/events?repository=${encodeURIComponent(h.pick(["acme/unknown", h.string().slice(0, 60)]))}`,
      body: h.rawBody(valid),
      headers: {
        authorization:
          i % 4 === 0
            ? `Bearer ${h
                .string()
                .slice(0, 60)
                .replace(/[^\x20-\x7e]/g, "x")}`
            : `Bearer ${AGENT_TOKEN}`,
      },
    }));
    expect(statuses.get(400)).toBeGreaterThan(50);
  });
});
