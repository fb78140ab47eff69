/**
 * The release path against a GitHub that answers like the real one (`node --import tsx bench/throttled.bench.ts`):
 * the stand-in of test/helpers/githubStandIn.ts with 150 ms a call, and Probot's throttle ON with its real limits (one
 * write a second per installation; the stand-in refuses faster writes). Each row against a floor measured in the
 * same run:
 * - artifact accepted → gitops commit pushed vs raw `git add && git commit && git push` of the same files
 * - 20 artifacts of one installation at once: the last push vs 20 raw commits pushed in one batch
 * - GitHub writes and reads per operation, and deploys per installation-hour at one write a second
 */

import { createHmac } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import nock from "nock";
import { pino } from "pino";
import { ProbotOctokit } from "probot";
import { ApiTokenStore } from "../app/auth/index.js";
import { buildServices } from "../app/buildServices.js";
import { GitHubConversation, GitHubForge } from "../app/github/index.js";
import { createRouter } from "../app/http/router.js";
import { LocalGitopsRemote } from "../app/local/remote.js";
import { apiRoutes } from "../app/routes/index.js";
import { parseArtifact, type StoredArtifact } from "../shared/artifact/index.js";
import { loadManifests } from "../shared/manifest/index.js";
import { renderRelease } from "../shared/release/index.js";
import { FakeGitHub } from "../test/helpers/githubStandIn.js";
import { cloneRepo, createBareRepo, listTree, tempDir } from "../test/helpers/gitRepos.js";
import { buttonPress } from "../test/helpers/webhookExamples.js";
import { type BenchRow, markdownTable, median, run } from "./lib.js";
import { startWebhookServer } from "./probotServer.js";
import {
  artifactFor,
  COMMENTER,
  configText,
  example,
  FLUX_SECRET,
  fluxBody,
  PR,
  prArtifactFor,
  staging,
  webhookExample,
} from "./throttledFixtures.js";
import { replicas } from "./throttledReplicas.js";

const QUICK = process.argv.includes("--quick");
const RUNS = QUICK ? 3 : 5;
const CALL_MS = 150;
const BURST = 20;
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^GIT_/i.test(k) || k === "GIT_SSL_CAINFO"),
);
const rows: BenchRow[] = [];
const cleanups: Array<() => unknown> = [];
const WEBHOOK_SECRET = "bench-webhooks";
const stored = (i: number, app = "shop"): StoredArtifact => ({
  ...parseArtifact(artifactFor(i, app)),
  id: `acme-shop-bench-${i}`,
  created: new Date().toISOString(),
});

async function rawCommit(clone: string, app: string, i: number, push: boolean): Promise<void> {
  const dir = join(clone, "staging", app);
  mkdirSync(dir, { recursive: true });
  for (const f of renderRelease(stored(i, app), { ...staging, app }).files) writeFileSync(join(dir, f.path), f.content);
  writeFileSync(join(dir, "release.json"), JSON.stringify({ app, env: "staging", run: i }));
  await run("git", ["add", "-A", "--", `staging/${app}`], clone, env);
  await run("git", ["commit", "-q", "--no-verify", "-m", `deploy ${app} ${i}`], clone, env);
  if (push) await run("git", ["push", "-q", "origin", "HEAD:refs/heads/main"], clone, env);
}

function floorClone(): string {
  const remote = createBareRepo();
  cleanups.push(remote.cleanup);
  return cloneRepo(remote.bare, join(remote.root, "clone"));
}

interface Bench {
  gh: FakeGitHub;
  services: ReturnType<typeof buildServices>;
  url: string;
  token: string;
  root: string;
  pushes: number[];
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** A webhook delivery, signed as GitHub signs it, to the app's Probot server (its handler table). */
  deliver(event: string, payload: unknown): Promise<void>;
  idle(): Promise<void>;
}

/** The app's API server over the stand-in, with Probot's octokit and its default throttle (on). */
async function startBench(): Promise<Bench> {
  const gh = new FakeGitHub({ latencyMs: { min: CALL_MS, max: CALL_MS }, writeSpacingMs: 1000 });
  gh.install();
  gh.serve("acme/shop", { ".github/gimlet.yml": configText });
  const root = tempDir("gimlet-bench-throttled-");
  const octokit = new ProbotOctokit({ auth: { token: "ghs_bench" }, retry: { enabled: false } });
  const { token, record } = ApiTokenStore.generate({ name: "bench", repositories: ["acme/*"] });
  const log = pino({ level: "silent" });
  const services = buildServices({
    forge: new GitHubForge(async () => octokit),
    conversation: new GitHubConversation(async () => octokit),
    remote: new LocalGitopsRemote({ root }),
    auth: { tokens: new ApiTokenStore([record]) },
    log,
    fluxSecret: FLUX_SECRET,
    workDir: join(root, "work"),
    webhookSecret: WEBHOOK_SECRET,
  });
  cleanups.push(() => services.deps.writer.close());
  const router = createRouter(apiRoutes(services), { log });
  const server = createServer((req, res) => void router(req, res));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  cleanups.push(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The same services behind the app's Probot server, for webhooks: the app's signature check and handler table, and
  // GitHub calls through the same throttled octokit (the app's GitHub auth is not what is measured here).
  const hooks = await startWebhookServer(services, log, WEBHOOK_SECRET, cleanups);
  let deliveries = 0;
  const pushes: number[] = [];
  const deploy = services.deps.writer.deploy.bind(services.deps.writer);
  services.deps.writer.deploy = async (request) => {
    const outcome = await deploy(request);
    pushes.push(performance.now());
    return outcome;
  };
  return {
    gh,
    services,
    url,
    token,
    root,
    pushes,
    async post(path, body, headers = {}) {
      const response = await fetch(`${url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async deliver(event, payload) {
      const body = JSON.stringify(payload);
      const response = await fetch(`${hooks}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": event,
          "x-github-delivery": `bench-delivery-${++deliveries}`,
          "x-hub-signature-256": `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`,
        },
        body,
      });
      if (response.status !== 200) throw new Error(`webhook ${event}: ${response.status} ${await response.text()}`);
    },
    async idle() {
      while (services.inflight.size) await Promise.all([...services.inflight]);
    },
  };
}

async function artifactToPush(bench: Bench): Promise<void> {
  const clone = floorClone();
  const gimlet: number[] = [];
  const floor: number[] = [];
  for (let i = -1; i < RUNS; i++) {
    const started = performance.now();
    const response = await bench.post("/api/artifacts", artifactFor(i + 10));
    if (response.status !== 201) throw new Error(`POST /api/artifacts: ${response.status}`);
    const answered = performance.now();
    await bench.idle();
    const pushed = bench.pushes.at(-1) ?? 0;
    const floorStarted = performance.now();
    await rawCommit(clone, "shop", i + 10, true);
    if (i < 0) continue; // warm-up: the config read and the first fetch
    gimlet.push(pushed - started);
    floor.push(performance.now() - floorStarted);
    if (answered - started > pushed - started + 1000) throw new Error("the API answered after the writes drained");
  }
  rows.push({
    benchmark: `artifact accepted → gitops commit pushed (throttle on, ${CALL_MS} ms a GitHub call) vs raw add+commit+push`,
    gimlet: median(gimlet),
    floor: median(floor),
    target: 1.5,
  });
}

async function burst(bench: Bench): Promise<{ answeredMs: number; drainedMs: number; writes: number }> {
  const clone = floorClone();
  const before = bench.pushes.length;
  const writesBefore = bench.gh.count("write");
  const started = performance.now();
  const responses = await Promise.all(
    Array.from({ length: BURST }, (_, k) => bench.post("/api/artifacts", artifactFor(100 + k, `svc-${k + 1}`))),
  );
  const answered = performance.now();
  if (responses.some((r) => r.status !== 201)) throw new Error("a burst artifact was refused");
  while (bench.pushes.length < before + BURST) await new Promise((r) => setTimeout(r, 5));
  const lastPush = (bench.pushes.at(-1) ?? 0) - started;
  await bench.idle();
  const drained = performance.now() - started;
  const floorStarted = performance.now();
  for (let k = 0; k < BURST; k++) await rawCommit(clone, `svc-${k + 1}`, 100 + k, false);
  await run("git", ["push", "-q", "origin", "HEAD:refs/heads/main"], clone, env);
  rows.push({
    benchmark: `${BURST} artifacts of one installation at once: last gitops push vs ${BURST} raw commits pushed as one batch`,
    gimlet: lastPush,
    floor: performance.now() - floorStarted,
    target: 1.5,
  });
  return { answeredMs: answered - started, drainedMs: drained, writes: bench.gh.count("write") - writesBefore };
}

async function countOperations(bench: Bench): Promise<string[][]> {
  const table: string[][] = [];
  const measure = async (name: string, fn: () => Promise<void>) => {
    await bench.idle();
    const [w, r] = [bench.gh.count("write"), bench.gh.count("read")];
    await fn();
    await bench.idle();
    table.push([name, String(bench.gh.count("write") - w), String(bench.gh.count("read") - r)]);
  };
  const gitops = "acme/gitops-staging";
  const tip = async () =>
    (await run("git", ["rev-parse", "main"], join(bench.root, "gitops", "acme", "gitops-staging.git"), env)).trim();
  const flux = async () => {
    const event = fluxBody(await tip());
    const response = await bench.post(`/api/flux-events?repository=${gitops}`, event.body, {
      "x-signature": event.signature,
    });
    if (response.status !== 200) throw new Error(`flux event: ${response.status}`);
  };
  await bench.idle();
  await flux(); // settle the burst's releases first, so each row counts one operation
  let artifactId = "";
  await measure("policy deploy: artifact → gitops push → in_progress (+ artifact file, check run)", async () => {
    artifactId = (await bench.post("/api/artifacts", artifactFor(500))).body.id;
  });
  await measure("Flux success of that release", flux);
  await measure("manual release (POST /api/releases) → in_progress", async () => {
    const response = await bench.post("/api/releases", { env: "staging", artifactId, repository: "acme/shop" });
    if (response.status !== 202) throw new Error(`POST /api/releases: ${response.status}`);
  });
  await measure("Flux success of the manual release", flux);
  await measure("rollback (POST /api/rollbacks) → in_progress", async () => {
    const response = await bench.post("/api/rollbacks", { env: "staging", app: "shop", repository: "acme/shop" });
    if (response.status !== 202)
      throw new Error(`POST /api/rollbacks: ${response.status} ${JSON.stringify(response.body)}`);
  });
  await measure("Flux success of the rollback", flux);
  await webhookOperations(bench, measure, flux);
  return table;
}

/**
 * The operations that start from a webhook, delivered signed to the app's Probot server with real payloads: a
 * Deploy button, a `/gimlet deploy` comment, a preview cleanup on PR close, and the Flux success after each release.
 */
async function webhookOperations(
  bench: Bench,
  measure: (name: string, fn: () => Promise<void>) => Promise<void>,
  flux: () => Promise<void>,
): Promise<void> {
  const ship = async (artifact: unknown) => {
    const response = await bench.post("/api/artifacts", artifact);
    if (response.status !== 201) throw new Error(`POST /api/artifacts: ${response.status}`);
    await bench.idle();
    return response.body.id as string;
  };
  // A push to a feature branch: no policy releases it, so its check run offers "Deploy to staging".
  const feature = artifactFor(600, "cart");
  await ship({ ...feature, version: { ...feature.version, branch: "feature/cart" } });
  const checkRun = bench.gh.checkRuns.at(-1) as Record<string, any>;
  const press = buttonPress(checkRun, 0, COMMENTER);
  await measure("button release (Deploy to staging pressed) → in_progress, check run answered", () =>
    bench.deliver("check_run", press),
  );
  const answer = String((bench.gh.checkRuns.at(-1) as { output: { summary: string } }).output.summary);
  if (!/pressed Deploy to staging: committed/.test(answer)) throw new Error(`the press did not release: ${answer}`);
  await measure("Flux success of the button release", flux);

  // A PR whose head CI shipped (no policy deploys a PR to staging): `/gimlet deploy staging` on it.
  const head = artifactFor(700).version.sha;
  await ship(prArtifactFor(700, { ...staging, app: "search" }));
  bench.gh.pull("acme/shop", PR, head);
  bench.gh.commitDates.set(head, "2026-01-01T10:00:00Z");
  bench.gh.pushedAt.set(head, "2026-01-01T10:00:00Z");
  bench.gh.permissions.set(`acme/shop:${COMMENTER}`, "write");
  const comment = webhookExample("issue_comment", (p) => p.action === "created" && Boolean(p.installation));
  Object.assign(comment.issue, {
    number: PR,
    pull_request: { url: `https://api.github.com/repos/acme/shop/pulls/${PR}` },
  });
  Object.assign(comment.comment, { id: 900001, body: "/gimlet deploy staging", created_at: "2026-01-01T10:05:00Z" });
  comment.comment.user = { ...comment.comment.user, login: COMMENTER, type: "User" };
  await measure("`/gimlet deploy staging` comment → in_progress, reply, 👀 and 🚀", () =>
    bench.deliver("issue_comment", comment),
  );
  const reply = bench.gh.commentsOf("acme/shop", PR).at(-1)?.body ?? "";
  if (!reply.includes("📝 committed")) throw new Error(`the comment did not release: ${reply}`);
  await measure("Flux success of the comment's release (reply → applied)", flux);

  // A preview of PR #8 released twice (each push applied by Flux), then the PR closed. The cleanup rules come from
  // the repository's manifests on its default branch.
  const preview = loadManifests([
    { file: ".gimlet/preview.yaml", text: readFileSync(join(example, ".gimlet", "preview.yaml"), "utf8") },
  ])[0]?.manifest;
  if (!preview) throw new Error("examples/shop/.gimlet/preview.yaml is missing");
  bench.gh.serve("acme/shop", {
    ".gimlet/preview.yaml": readFileSync(join(example, ".gimlet", "preview.yaml"), "utf8"),
    ".gimlet/staging.yaml": readFileSync(join(example, ".gimlet", "staging.yaml"), "utf8"),
  });
  for (const i of [800, 801]) {
    await ship(prArtifactFor(i, preview, 8));
    await flux();
  }
  const closed = webhookExample("pull_request", (p) => p.action === "closed" && Boolean(p.installation));
  Object.assign(closed.pull_request, { number: 8, merged: false });
  closed.pull_request.head.ref = "feature/8";
  closed.number = 8;
  await measure("preview cleanup (PR closed; 2 releases): delete commit, deployments inactive, PR comment", () =>
    bench.deliver("pull_request", closed),
  );
  const previews = [...bench.gh.deployments.values()].filter((d) => d.environment === "staging/shop-pr-8");
  if (previews.length !== 2 || previews.some((d) => bench.gh.statesOf(d.id).at(-1) !== "inactive"))
    throw new Error("the preview's deployments are not inactive");
  if (listTree(join(bench.root, "gitops", "acme", "gitops-staging.git"), "main", "staging").includes("shop-pr-8"))
    throw new Error("the preview's folder is still there");
}

async function main(): Promise<void> {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  const started = performance.now();
  let operations: string[][] = [];
  let burstStats = { answeredMs: 0, drainedMs: 0, writes: 0 };
  let violations: string[] = [];
  let replicaLines: string[] = [];
  try {
    const bench = await startBench();
    await artifactToPush(bench);
    burstStats = await burst(bench);
    operations = await countOperations(bench);
    violations = [...bench.gh.violations];
    replicaLines = await replicas({ callMs: CALL_MS, configText, artifactFor, cleanups });
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    nock.cleanAll();
    nock.enableNetConnect();
  }
  console.log(markdownTable(rows));
  console.log(
    `\n${BURST} artifacts at once: all ${BURST} answered (201) after ${(burstStats.answeredMs / 1000).toFixed(2)} s; their ${burstStats.writes} GitHub writes drained after ${(burstStats.drainedMs / 1000).toFixed(1)} s (one a second).`,
  );
  console.log("\nGitHub calls per operation (warm replica; counted by the stand-in):\n");
  console.log("| operation | writes | reads |\n|---|---:|---:|");
  for (const [name, w, r] of operations) console.log(`| ${name} | ${w} | ${r} |`);
  const policyWrites = Number(operations[0]?.[1] ?? 0) + Number(operations[1]?.[1] ?? 0);
  console.log(
    `\nWrites per policy deploy, artifact → success: ${policyWrites} (before this change: 7). At one write a second per installation: ${Math.floor(3600 / policyWrites)} policy deploys per installation-hour (before: ${Math.floor(3600 / 7)}).`,
  );
  console.log(`Writes the stand-in refused as faster than the throttle allows: ${violations.length}`);
  console.log(`\n${replicaLines.join("\n")}`);
  console.log(`\n${rows.length} benchmarks in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (violations.length) process.exitCode = 1;
}

await main();
