/**
 * Release benchmarks (`node --import tsx bench/release.bench.ts`), each against a floor measured in the same run:
 * - render + commit + push of the example app's staging/shop vs `git add && git commit && git push` of the same files
 * - artifact accepted (HTTP POST /api/artifacts, GitHub answered by nock) → gitops commit pushed, vs the same floor
 * - GitHub API calls per policy deploy, counted from the requests nock answered
 */

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import nock from "nock";
import { pino } from "pino";
import { ProbotOctokit } from "probot";
import { ApiTokenStore } from "../app/auth/index.js";
import { buildServices } from "../app/buildServices.js";
import { GitHubForge } from "../app/github/index.js";
import { createRouter } from "../app/http/router.js";
import { LocalGitopsRemote } from "../app/local/remote.js";
import { apiRoutes } from "../app/routes/index.js";
import { parseArtifact, type StoredArtifact } from "../shared/artifact/index.js";
import { GitopsWriter } from "../shared/gitops/index.js";
import { loadManifests } from "../shared/manifest/index.js";
import { renderRelease } from "../shared/release/index.js";
import { cloneRepo, createBareRepo, fakeSha, type TempRemote, tempDir } from "../test/helpers/gitRepos.js";
import { type BenchRow, markdownTable, median, run, timePair } from "./lib.js";

const RUNS = process.argv.includes("--quick") ? 7 : 21;
const API = "https://api.github.com";
const example = join(import.meta.dirname, "..", "examples", "shop");
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^GIT_/i.test(k) || k === "GIT_SSL_CAINFO"),
);
const rows: BenchRow[] = [];
const cleanups: Array<() => unknown> = [];

const staging = loadManifests([
  { file: ".gimlet/staging.yaml", text: readFileSync(join(example, ".gimlet", "staging.yaml"), "utf8") },
])[0]!.manifest;
const artifactFor = (i: number) => ({
  version: {
    repositoryName: "acme/shop",
    sha: fakeSha(5000 + i),
    branch: "main",
    event: "push" as const,
    message: "bench",
  },
  environments: [staging],
});
const stored = (i: number): StoredArtifact => ({
  ...parseArtifact(artifactFor(i)),
  id: `acme-shop-bench-${i}`,
  created: new Date().toISOString(),
});

/** The floor: a script on a warm clone writes the same files and runs git add, commit and push. */
async function rawRelease(clone: string, files: Array<{ path: string; content: string }>, i: number): Promise<void> {
  const dir = join(clone, "staging", "shop");
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.path), f.content);
  writeFileSync(join(dir, "release.json"), JSON.stringify({ app: "shop", env: "staging", run: i }));
  await run("git", ["add", "-A", "--", "staging/shop"], clone, env);
  await run("git", ["commit", "-q", "--no-verify", "-m", `deploy ${i}`], clone, env);
  await run("git", ["push", "-q", "origin", "HEAD:refs/heads/main"], clone, env);
}

function floorClone(): string {
  const remote: TempRemote = createBareRepo();
  cleanups.push(remote.cleanup);
  return cloneRepo(remote.bare, join(remote.root, "clone"));
}

async function renderAndDeploy(): Promise<void> {
  const remote = createBareRepo();
  cleanups.push(remote.cleanup);
  const writer = new GitopsWriter({ workDir: join(remote.root, "work") });
  cleanups.push(() => writer.close());
  const clone = floorClone();
  const [gimlet, floor] = await timePair(
    async (i) => {
      const release = renderRelease(stored(i + 10), staging);
      await writer.deploy({
        repo: remote.bare,
        path: "staging",
        env: "staging",
        app: "shop",
        files: release.files,
        release: { artifactId: `a${i}`, triggeredBy: "bench", version: { sha: fakeSha(i + 10) } },
      });
    },
    (i) => rawRelease(clone, renderRelease(stored(i + 10), staging).files, i + 10),
    RUNS,
    2,
  );
  rows.push({ benchmark: "render + commit + push of staging/shop (warm writer)", gimlet, floor, target: 1.5 });
}

/** GitHub as nock answers it, counting every call. */
function fakeGitHub(calls: string[]): void {
  const config = Buffer.from(readFileSync(join(example, ".github", "gimlet.yml"), "utf8")).toString("base64");
  let ids = 0;
  const record =
    <T>(method: string, reply: (uri: string, body: unknown) => T) =>
    (uri: string, body: unknown): T => {
      calls.push(`${method} ${decodeURIComponent(uri.split("?")[0] ?? uri)}`);
      return reply(uri, body);
    };
  nock(API)
    .persist()
    .get(/\/repos\/acme\/shop\/contents\/\.github%2Fgimlet\.yml/)
    .reply(
      200,
      record("GET", () => ({ type: "file", encoding: "base64", content: config, sha: "cfg" })),
    )
    .post("/repos/acme/shop/deployments")
    .reply(
      201,
      record("POST", (_uri, body) => {
        const b = body as { ref: string; environment: string; payload: unknown };
        return {
          id: ++ids,
          ref: b.ref,
          sha: b.ref,
          environment: b.environment,
          payload: b.payload,
          created_at: new Date().toISOString(),
        };
      }),
    )
    .post(/\/repos\/acme\/shop\/deployments\/\d+\/statuses/)
    .reply(
      201,
      record("POST", (_uri, body) => ({
        id: ++ids,
        state: (body as { state: string }).state,
        created_at: new Date().toISOString(),
      })),
    )
    .post("/repos/acme/shop/check-runs")
    .reply(
      201,
      record("POST", (_uri, body) => ({
        id: ++ids,
        external_id: (body as { external_id: string }).external_id,
        head_sha: fakeSha(1),
        html_url: "https://github.com/x",
      })),
    )
    .patch(/\/repos\/acme\/shop\/check-runs\/\d+/)
    .reply(
      200,
      record("PATCH", () => ({ id: 1 })),
    )
    .put(/\/repos\/acme\/gitops-staging\/contents\/.*/)
    .reply(
      201,
      record("PUT", () => ({ content: { sha: "x" } })),
    )
    // no organisation file (acme/.github), and the repositories as GitHub describes them
    .get(/\/repos\/acme\/\.github\/contents\/.*/)
    .reply(
      404,
      record("GET", () => ({ message: "Not Found" })),
    )
    .get(/^\/repos\/acme\/[^/]+$/)
    .reply(
      200,
      record("GET", (uri) => ({ full_name: uri.replace(/^\/repos\//, ""), default_branch: "main" })),
    );
}

async function artifactToCommit(): Promise<string[]> {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  const calls: string[] = [];
  fakeGitHub(calls);
  const root = tempDir("gimlet-bench-app-");
  const octokit = new ProbotOctokit({
    auth: { token: "ghs_bench" },
    retry: { enabled: false },
    throttle: { enabled: false },
  });
  const { token, record } = ApiTokenStore.generate({ name: "bench", repositories: ["acme/*"] });
  const services = buildServices({
    forge: new GitHubForge(async () => octokit),
    remote: new LocalGitopsRemote({ root }),
    auth: { tokens: new ApiTokenStore([record]) },
    log: pino({ level: "silent" }),
    workDir: join(root, "work"),
  });
  cleanups.push(() => services.deps.writer.close());
  const router = createRouter(apiRoutes(services), { log: pino({ level: "silent" }) });
  const server = createServer((req, res) => void router(req, res));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  cleanups.push(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/artifacts`;
  // "Pushed" is when the writer's push returns; the in_progress status GitHub gets after it is not on that path.
  let pushedAt = 0;
  const deploy = services.deps.writer.deploy.bind(services.deps.writer);
  services.deps.writer.deploy = async (request) => {
    const outcome = await deploy(request);
    pushedAt = performance.now();
    return outcome;
  };
  const post = async (i: number) => {
    const started = performance.now();
    const response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(artifactFor(i)),
    });
    if (response.status !== 201) throw new Error(`POST /api/artifacts: ${response.status} ${await response.text()}`);
    await Promise.all([...services.inflight]);
    return pushedAt - started;
  };
  const clone = floorClone();
  const coldStart = calls.length;
  await post(1);
  const cold = calls.slice(coldStart);
  const warmStart = calls.length;
  await post(2);
  const warm = calls.slice(warmStart);
  const latencies: number[] = [];
  const [, floor] = await timePair(
    async (i) => {
      const latency = await post(i + 100);
      if (i >= 0) latencies.push(latency);
    },
    (i) => rawRelease(clone, renderRelease(stored(i + 100), staging).files, i + 100),
    RUNS,
    1,
  );
  const gimlet = median(latencies);
  rows.push({
    benchmark: "artifact accepted → gitops commit pushed (HTTP, nock'd GitHub)",
    gimlet,
    floor,
    target: 1.5,
  });
  nock.cleanAll();
  nock.enableNetConnect();
  return [
    `cold (config read): ${cold.length} calls`,
    ...cold.map((c) => `  ${c}`),
    `warm: ${warm.length} calls`,
    ...warm.map((c) => `  ${c}`),
  ];
}

async function main(): Promise<void> {
  const started = performance.now();
  let calls: string[] = [];
  try {
    await renderAndDeploy();
    calls = await artifactToCommit();
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
  console.log(markdownTable(rows));
  console.log(
    `\nGitHub API calls per policy deploy (artifact accepted → commit pushed, then the artifact file and the check run; with the Flux success, target ≤ 5; a fresh replica also looks up the installation and its token once per owner and hour):\n${calls.join("\n")}`,
  );
  console.log(
    `\n${rows.length} benchmarks in ${((performance.now() - started) / 1000).toFixed(1)} s (median of ${RUNS} runs, floors interleaved)`,
  );
}

await main();
