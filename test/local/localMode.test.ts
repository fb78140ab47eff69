import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "@jest/globals";
import { pino } from "pino";
import { signFluxPayload } from "../../app/auth/index.js";
import { type LocalServer, startLocalServer } from "../../app/local/server.js";
import { loadManifests } from "../../shared/manifest/index.js";
import { exampleApp } from "../helpers/ciEnv.js";
import { git, tempDir } from "../helpers/gitRepos.js";

const SHA = "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d";
const silent = pino({ level: "silent" });
let servers: LocalServer[] = [];

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

function exampleArtifact(sha = SHA) {
  const dir = join(exampleApp, ".gimlet");
  const environments = loadManifests(
    readdirSync(dir).map((f) => ({ file: f, text: readFileSync(join(dir, f), "utf8") })),
  ).map((l) => l.manifest);
  return {
    version: { repositoryName: "acme/shop", sha, branch: "main", event: "push", message: "Cache images" },
    environments,
  };
}

async function start(root: string): Promise<LocalServer> {
  const configFile = join(root, "gimlet.local.yml");
  writeFileSync(configFile, readFileSync(join(exampleApp, ".github", "gimlet.yml"), "utf8"));
  const server = await startLocalServer({
    root: join(root, ".gimlet-local"),
    configFile,
    port: 0,
    host: "127.0.0.1",
    log: silent,
  });
  servers.push(server);
  return server;
}

const call = (
  server: LocalServer,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });

describe("local mode", () => {
  test("artifact → policy release → gitops commit → Flux event → applied, with a token required", async () => {
    const root = tempDir("gimlet-local-mode-");
    const server = await start(root);
    const token = server.newToken as string;
    expect(token).toMatch(/^gmlt_/);
    expect(readFileSync(server.tokenFile, "utf8").trim()).toBe(token);

    expect((await call(server, undefined, "POST", "/api/artifacts", exampleArtifact())).status).toBe(401);
    expect(
      (await call(server, "gmlt_wrongwrongwrongwrongwrongwrongwrong", "POST", "/api/artifacts", exampleArtifact()))
        .status,
    ).toBe(401);

    const response = await call(server, token, "POST", "/api/artifacts", exampleArtifact());
    expect(response.status).toBe(201);
    const accepted = (await response.json()) as {
      id: string;
      decisions: Array<{ env: string; app: string; deploy: boolean; trackingId?: string }>;
    };
    const shop = accepted.decisions.find((d) => d.env === "staging" && d.app === "shop" && d.deploy);
    expect(shop?.trackingId).toBeDefined();
    await Promise.all([...server.services.inflight]);

    const bare = join(root, ".gimlet-local", "gitops", "acme", "gitops-staging.git");
    expect(git(bare, ["show", "main:staging/shop/deployment.yaml"])).toContain(`ghcr.io/acme/shop:${SHA}`);
    const gitopsSha = git(bare, ["rev-parse", "main"]);

    const tracked = await (await call(server, token, "GET", `/api/releases/track/${shop?.trackingId}`)).json();
    expect(tracked).toMatchObject({ status: "committed" });

    const event = JSON.stringify({
      involvedObject: { kind: "Kustomization", name: "flux-system", namespace: "flux-system" },
      severity: "info",
      reason: "ReconciliationSucceeded",
      message: `Applied revision: main@sha1:${gitopsSha}`,
      metadata: { revision: `main@sha1:${gitopsSha}` },
    });
    const secret = readFileSync(join(root, ".gimlet-local", "flux-secret"), "utf8").trim();
    const bad = await call(server, undefined, "POST", "/api/flux-events?repository=acme/gitops-staging", event, {
      "x-signature": signFluxPayload(event, "not-the-secret"),
    });
    expect(bad.status).toBe(401);
    const flux = await call(server, undefined, "POST", "/api/flux-events?repository=acme/gitops-staging", event, {
      "x-signature": signFluxPayload(event, secret),
    });
    expect(flux.status).toBe(200);
    const settled = (await flux.json()) as { settled: Array<{ state: string }> };
    expect(settled.settled.map((s) => s.state).sort()).toEqual(["success", "success"]);

    const after = await (await call(server, token, "GET", `/api/releases/track/${shop?.trackingId}`)).json();
    expect(after).toMatchObject({
      status: "applied",
      gitopsSha: expect.stringMatching(/^[0-9a-f]{40}$/),
      environmentUrl: "https://shop.staging.acme.dev",
    });

    const page = await (await fetch(`${server.url}/`)).text();
    expect(page).toContain("<h2>staging");
    expect(page).toContain("<code>shop</code>");
    expect(page).toContain('class="s-applied">applied');

    const log = (await (
      await call(server, token, "GET", "/api/releases?repository=acme/shop&env=staging")
    ).json()) as Array<{ app: string; type: string }>;
    expect(log.map((e) => `${e.type}:${e.app}`).sort()).toEqual(["deploy:shop", "deploy:shop-worker"]);
    const listed = (await (await call(server, token, "GET", "/api/artifacts?repository=acme/shop")).json()) as Array<{
      id: string;
    }>;
    expect(listed.map((a) => a.id)).toEqual([accepted.id]);
  });

  test("a restart keeps the token, the artifacts and the release log; bad input gets clear errors", async () => {
    const root = tempDir("gimlet-local-mode-");
    const first = await start(root);
    const token = first.newToken as string;
    const accepted = (await (await call(first, token, "POST", "/api/artifacts", exampleArtifact())).json()) as {
      id: string;
    };
    await first.close();
    servers = [];

    const second = await start(root);
    expect(second.newToken).toBeUndefined();
    const listed = (await (await call(second, token, "GET", "/api/artifacts?repository=acme/shop")).json()) as Array<{
      id: string;
    }>;
    expect(listed.map((a) => a.id)).toEqual([accepted.id]);

    const unknownEvent = await call(second, token, "POST", "/api/artifacts", {
      version: { ...exampleArtifact().version, event: "merge" },
    });
    expect(unknownEvent.status).toBe(400);
    expect(await unknownEvent.json()).toMatchObject({
      error: { code: "config_invalid", details: [{ path: "version.event", message: "must be one of push, tag, pr" }] },
    });
    const broken = await call(second, token, "POST", "/api/artifacts", '{"version":');
    expect(broken.status).toBe(400);
    const huge = await call(
      second,
      token,
      "POST",
      "/api/artifacts",
      JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) }),
    );
    expect(huge.status).toBe(413);
    expect((await call(second, token, "GET", "/api/releases/track/not-a-tracking-id")).status).toBe(400);
    expect((await call(second, token, "DELETE", "/api/artifacts")).status).toBe(405);
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${second.url}/metrics`)).text()).toContain("gimlet_artifacts_accepted_total");
  });
});
