import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "@jest/globals";
import { pino } from "pino";
import { signFluxPayload } from "../../app/auth/index.js";
import { type LocalServer, startLocalServer } from "../../app/local/server.js";
import { git, tempDir } from "../helpers/gitRepos.js";

let server: LocalServer | undefined;
afterEach(async () => server?.close());

const manifest = {
  app: "web",
  env: "staging",
  deploy: { event: "push", branch: "main" },
  values: { image: { repository: "nginx", tag: "{{ .SHA }}" }, replicas: 2 },
};

test("with GIMLET_REQUIRE_AGENT_HEALTH a release turns green only when the agent saw the rollout healthy; a failed rollout turns it red", async () => {
  const root = tempDir("gimlet-agent-");
  const local = join(root, ".gimlet-local");
  const configFile = join(root, "gimlet.local.yml");
  writeFileSync(configFile, "environments:\n  staging: { repository: acme/gitops, path: staging }\n");
  server = await startLocalServer({
    root: local,
    configFile,
    port: 0,
    host: "127.0.0.1",
    log: pino({ level: "silent" }),
    requireAgentHealth: true,
  });
  const s = server;
  const token = s.newToken as string;
  const ship = async (sha: string) => {
    const response = await fetch(`${s.url}/api/artifacts`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ version: { repositoryName: "acme/web", sha, branch: "main" }, environments: [manifest] }),
    });
    expect(response.status).toBe(201);
    await Promise.all([...s.services.inflight]);
    return ((await response.json()) as { decisions: Array<{ trackingId: string }> }).decisions[0]!.trackingId;
  };
  const track = async (id: string) =>
    (await (
      await fetch(`${s.url}/api/releases/track/${id}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { status: string; final: boolean; message: string };
  const tip = () => git(join(local, "gitops", "acme", "gitops.git"), ["rev-parse", "main"]);
  const flux = async (sha: string) => {
    const body = JSON.stringify({
      involvedObject: { kind: "Kustomization", name: "staging" },
      severity: "info",
      reason: "ReconciliationSucceeded",
      message: "ok",
      metadata: { revision: `main@sha1:${sha}` },
    });
    const secret = readFileSync(join(local, "flux-secret"), "utf8").trim();
    expect(
      (
        await fetch(`${s.url}/api/flux-events?repository=acme/gitops&env=staging`, {
          method: "POST",
          body,
          headers: { "x-signature": signFluxPayload(body, secret) },
        })
      ).status,
    ).toBe(200);
  };
  const agentToken = readFileSync(join(local, "agent-token"), "utf8").trim();
  const agent = (event: Record<string, unknown>, bearer = agentToken) =>
    fetch(`${s.url}/api/agent/events?repository=acme/gitops`, {
      method: "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
      body: JSON.stringify(event),
    });

  const first = await ship("5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d");
  const firstSha = tip();
  await flux(firstSha);
  expect(await track(first)).toMatchObject({ status: "applied", final: false });

  expect((await agent({ env: "staging", app: "web", gitopsRevision: firstSha, ready: 1, desired: 2 })).status).toBe(
    202,
  );
  expect(
    (await agent({ env: "staging", app: "web", gitopsRevision: firstSha, ready: 2, desired: 2 }, "wrong-token")).status,
  ).toBe(401);
  expect((await agent({ env: "staging", app: "../web", gitopsRevision: firstSha, ready: 2, desired: 2 })).status).toBe(
    400,
  );
  const healthy = await agent({
    env: "staging",
    app: "web",
    gitopsRevision: firstSha,
    ready: 2,
    desired: 2,
    image: "nginx:5f2b3c4",
  });
  expect(healthy.status).toBe(200);
  expect(await track(first)).toMatchObject({
    status: "healthy",
    final: true,
    message: "Healthy: 2/2 ready (nginx:5f2b3c4)",
  });

  const second = await ship("1111111111111111111111111111111111111111");
  const secondSha = tip();
  await flux(secondSha);
  const failed = await agent({
    env: "staging",
    app: "web",
    gitopsRevision: secondSha,
    ready: 0,
    desired: 2,
    reason: "ImagePullBackOff",
    message: 'pulling image\nBack-off pulling image "nginx:1111111"',
  });
  expect(failed.status).toBe(200);
  expect(await track(second)).toMatchObject({
    status: "failed",
    final: false, // not before the release deadline: the rollout may still recover
    message: expect.stringContaining("Rollout failed: ImagePullBackOff"),
  });
});
