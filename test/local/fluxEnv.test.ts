import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "@jest/globals";
import { pino } from "pino";
import { signFluxPayload } from "../../app/auth/index.js";
import { type LocalServer, startLocalServer } from "../../app/local/server.js";
import { git, tempDir } from "../helpers/gitRepos.js";

let server: LocalServer | undefined;
afterEach(async () => server?.close());

const manifest = (env: string) => ({
  app: "web",
  env,
  deploy: { event: "push", branch: "main" },
  values: { image: { repository: "nginx", tag: "{{ .SHA }}" } },
});

test("a Flux event with ?env= settles that env's releases only, when envs share one gitops repository", async () => {
  const root = tempDir("gimlet-flux-env-");
  const configFile = join(root, "gimlet.local.yml");
  writeFileSync(
    configFile,
    "environments:\n  staging: { repository: acme/gitops, path: staging }\n  qa: { repository: acme/gitops, path: qa }\n",
  );
  server = await startLocalServer({
    root: join(root, ".gimlet-local"),
    configFile,
    port: 0,
    host: "127.0.0.1",
    log: pino({ level: "silent" }),
  });
  const artifact = {
    version: { repositoryName: "acme/web", sha: "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d", branch: "main" },
    environments: [manifest("staging"), manifest("qa")],
  };
  const shipped = await fetch(`${server.url}/api/artifacts`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.newToken}`, "content-type": "application/json" },
    body: JSON.stringify(artifact),
  });
  expect(shipped.status).toBe(201);
  const { decisions } = (await shipped.json()) as { decisions: Array<{ env: string; trackingId: string }> };
  await Promise.all([...server.services.inflight]);

  const tip = git(join(root, ".gimlet-local", "gitops", "acme", "gitops.git"), ["rev-parse", "main"]);
  const body = JSON.stringify({
    involvedObject: { kind: "Kustomization", name: "staging", namespace: "flux-system" },
    severity: "info",
    reason: "ReconciliationSucceeded",
    message: "ok",
    metadata: { revision: `main@sha1:${tip}` },
  });
  const secret = readFileSync(join(root, ".gimlet-local", "flux-secret"), "utf8").trim();
  const flux = await fetch(`${server.url}/api/flux-events?repository=acme/gitops&env=staging`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "x-signature": signFluxPayload(body, secret) },
  });
  expect(flux.status).toBe(200);
  expect(((await flux.json()) as { settled: unknown[] }).settled).toHaveLength(1);

  const track = async (env: string) => {
    const id = decisions.find((d) => d.env === env)?.trackingId;
    const response = await fetch(`${server!.url}/api/releases/track/${id}`, {
      headers: { authorization: `Bearer ${server!.newToken}` },
    });
    return ((await response.json()) as { status: string }).status;
  };
  expect(await track("staging")).toBe("applied");
  expect(await track("qa")).toBe("committed");

  const noEnv = await fetch(`${server.url}/api/flux-events?repository=acme/gitops`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "x-signature": signFluxPayload(body, secret) },
  });
  expect(noEnv.status).toBe(400);
  expect(((await noEnv.json()) as { error: { message: string } }).error.message).toMatch(
    /holds several environments \(qa, staging\): add &env=<env>/,
  );
  expect(await track("qa")).toBe("committed");
  const badEnv = await fetch(`${server.url}/api/flux-events?repository=acme/gitops&env=../x`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "x-signature": signFluxPayload(body, secret) },
  });
  expect(badEnv.status).toBe(400);
  const badEncoding = await fetch(`${server.url}/api/releases/track/%E0%A4%A`, {
    headers: { authorization: `Bearer ${server.newToken}` },
  });
  expect(badEncoding.status).toBe(400);
});
