import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "@jest/globals";
import { pino } from "pino";
import { type LocalServer, startLocalServer } from "../../app/local/server.js";
import { loadManifests } from "../../shared/manifest/index.js";
import { exampleApp } from "../helpers/ciEnv.js";
import { tempDir } from "../helpers/gitRepos.js";

const silent = pino({ level: "silent" });
let servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const SHA = "9a8b7c6d5e4f30211203948576a5b4c3d2e1f001";

test("local mode: a PR artifact's preview shows on the page (from its PR comment), and its removal too", async () => {
  const root = tempDir("gimlet-local-previews-");
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
  const token = server.newToken as string;
  const dir = join(exampleApp, ".gimlet");
  const environments = loadManifests(
    readdirSync(dir)
      .filter((f) => f === "preview.yaml")
      .map((f) => ({ file: f, text: readFileSync(join(dir, f), "utf8") })),
  ).map((l) => l.manifest);
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
  const shipped = await fetch(`${server.url}/api/artifacts`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      version: { repositoryName: "acme/shop", sha: SHA, branch: "feature/x", event: "pr", prNumber: 12, message: "x" },
      environments,
    }),
  });
  expect(shipped.status).toBe(201);
  await Promise.all([...server.services.inflight]);
  let page = await (await fetch(`${server.url}/`)).text();
  expect(page).toContain("<h2>Previews <small>from the PR comments</small></h2>");
  expect(page).toMatch(
    /<td>acme\/shop#12<\/td><td><code>shop-pr-12<\/code><\/td><td>staging<\/td><td><code>9a8b7c6<\/code><\/td><td>committed `[0-9a-f]{7}`<\/td><td><a href="https:\/\/shop-pr-12\.staging\.acme\.dev">/,
  );

  const removed = await fetch(`${server.url}/api/releases?env=staging&app=shop-pr-12&repository=acme/shop`, {
    method: "DELETE",
    headers,
  });
  expect(removed.status).toBe(200);
  page = await (await fetch(`${server.url}/`)).text();
  expect(page).toContain("<td>removed: removed by token:local</td>");
});
