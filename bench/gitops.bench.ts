/**
 * GitOps writer benchmarks (`npx tsx bench/gitops.bench.ts`), each against a floor measured in the same run:
 * - warm deploy (3 files + commit + push through GitopsWriter) vs `git add && git commit && git push` on a warm clone
 * - 25 queued deploys (batched) vs 25 serial raw pushes
 * - history over 10,000 commits vs `git log -- <path>`
 * - deploy latency with 5,000 apps in the repo vs with 10 apps
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GitopsWriter } from "../shared/gitops/index.js";
import {
  appendCommits,
  cloneRepo,
  createBareRepo,
  fakeSha,
  releaseJson,
  type StreamCommit,
  type TempRemote,
} from "../test/helpers/gitRepos.js";
import { type BenchRow, markdownTable, median, run, timePair } from "./lib.js";

const quick = process.argv.includes("--quick");
const RUNS = quick ? 7 : 25;
// Raw-git floors run like the writer's git: no GIT_* variables of the calling shell.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^GIT_/i.test(k) || k === "GIT_SSL_CAINFO"),
);
const remotes: TempRemote[] = [];
const writers: GitopsWriter[] = [];
const rows: BenchRow[] = [];

function remote(): TempRemote {
  const r = createBareRepo();
  remotes.push(r);
  return r;
}

function writerFor(r: TempRemote): GitopsWriter {
  const w = new GitopsWriter({ workDir: join(r.root, "work") });
  writers.push(w);
  return w;
}

function rendered(app: string, i: number) {
  return ["deployment.yaml", "service.yaml", "ingress.yaml"].map((name) => ({
    path: name,
    content: `# ${app} run ${i}\nkind: ${name}\nimage: acme/${app}:${i}\n`,
  }));
}

function deployReq(r: TempRemote, app: string, i: number) {
  return {
    repo: r.bare,
    env: "staging",
    app,
    files: rendered(app, i),
    release: { artifactId: `${app}-${i}`, triggeredBy: "bench", version: { sha: fakeSha(i + 1000) } },
  };
}

/** The floor: what a script does by hand on a warm clone, one git process per step. */
async function rawDeploy(clone: string, app: string, i: number): Promise<void> {
  const dir = join(clone, "staging", app);
  mkdirSync(dir, { recursive: true });
  for (const f of rendered(app, i)) writeFileSync(join(dir, f.path), f.content);
  writeFileSync(
    join(dir, "release.json"),
    releaseJson({ app, env: "staging", artifactId: `${app}-${i}`, sha: fakeSha(i), created: new Date().toISOString() }),
  );
  await run("git", ["add", "-A", "--", `staging/${app}`], clone, env);
  await run("git", ["commit", "-q", "--no-verify", "-m", `deploy ${app} ${i}`], clone, env);
}

async function rawPush(clone: string): Promise<void> {
  await run("git", ["push", "-q", "origin", "HEAD:refs/heads/main"], clone, env);
}

async function warmDeploy(): Promise<void> {
  const [a, b] = [remote(), remote()];
  const writer = writerFor(a);
  const clone = cloneRepo(b.bare, join(b.root, "clone"));
  const [gimlet, floor] = await timePair(
    (i) => writer.deploy(deployReq(a, "web", i + 10)),
    async (i) => {
      await rawDeploy(clone, "web", i + 10);
      await rawPush(clone);
    },
    RUNS,
    2,
  );
  rows.push({ benchmark: "warm deploy: 3 files + commit + push", gimlet, floor, target: 1.5 });
}

async function queuedDeploys(): Promise<void> {
  const [a, b] = [remote(), remote()];
  const writer = writerFor(a);
  const clone = cloneRepo(b.bare, join(b.root, "clone"));
  const apps = Array.from({ length: 25 }, (_, k) => `app-${k}`);
  const runs = quick ? 3 : 7;
  const [gimlet, floor] = await timePair(
    (i) => Promise.all(apps.map((app) => writer.deploy(deployReq(a, app, i + 10)))),
    async (i) => {
      for (const app of apps) {
        await rawDeploy(clone, app, i + 10);
        await rawPush(clone);
      }
    },
    runs,
  );
  const s = writer.stats({ repo: a.bare });
  rows.push({
    benchmark: "25 queued deploys (batched) vs 25 serial raw pushes",
    gimlet,
    floor,
    target: 1,
    note: `${s.commits} commits in ${s.pushes} pushes`,
  });
}

async function history(): Promise<void> {
  const r = remote();
  const commits: StreamCommit[] = [];
  for (let i = 0; i < 10_000; i++) {
    const app = `app-${i % 20}`;
    commits.push({
      message: `[gimlet] staging/${app} deploy ${fakeSha(i).slice(0, 7)} by policy`,
      files: {
        [`staging/${app}/deployment.yaml`]: `image: acme/${app}:${i}\n`,
        [`staging/${app}/release.json`]: releaseJson({
          app,
          env: "staging",
          artifactId: `a-${i}`,
          sha: fakeSha(i),
          created: new Date(1767225600000 + i * 1000).toISOString(),
        }),
      },
    });
  }
  appendCommits(r.bare, commits);
  const writer = writerFor(r);
  await writer.history({ repo: r.bare, env: "staging", limit: 1 }); // clone once
  const clone = writer.clonePath({ repo: r.bare });
  const runs = quick ? 5 : 11;
  const log = (args: string[]) => run("git", ["log", "--format=%H%x1f%ct%x1f%s", ...args], clone, env);
  const cases: Array<[string, () => Promise<unknown>, () => Promise<unknown>, number | undefined]> = [
    [
      "history, 1 app of 20 (500 releases in 10,000 commits) vs git log -- <app>",
      () => writer.history({ repo: r.bare, env: "staging", app: "app-3" }),
      () => log(["origin/main", "--", "staging/app-3"]),
      2,
    ],
    [
      "history, whole env (10,000 releases) vs git log -- <env>",
      () => writer.history({ repo: r.bare, env: "staging" }),
      () => log(["origin/main", "--", "staging"]),
      2,
    ],
    // A short page is dominated by the fetch every read makes; its floor fetches too.
    [
      "history, 1 app, limit 20 vs git fetch + git log -n 20",
      () => writer.history({ repo: r.bare, env: "staging", app: "app-3", limit: 20 }),
      async () => {
        await run(
          "git",
          ["fetch", "-q", "--no-tags", "origin", "+refs/heads/main:refs/remotes/origin/main"],
          clone,
          env,
        );
        await log(["-n", "20", "origin/main", "--", "staging/app-3"]);
      },
      2,
    ],
  ];
  for (const [name, a, b, target] of cases) {
    const [gimlet, floor] = await timePair(a, b, runs);
    rows.push({ benchmark: name, gimlet, floor, target });
  }
}

async function manyApps(): Promise<void> {
  // `envs` > 1 spreads the apps over that many env folders (app-7 stays in staging), as an organisation's repo would.
  const seeded = (apps: number, envs = 1): TempRemote => {
    const r = remote();
    const files: Record<string, string> = {};
    for (let k = 0; k < apps; k++) {
      const app = `app-${k}`;
      const env = envs === 1 || k % envs === 7 % envs ? "staging" : `env-${k % envs}`;
      for (const f of rendered(app, 0)) files[`${env}/${app}/${f.path}`] = f.content;
      files[`${env}/${app}/release.json`] = releaseJson({
        app,
        env,
        artifactId: `${app}-0`,
        sha: fakeSha(k),
        created: "2026-01-01T00:00:00.000Z",
      });
    }
    appendCommits(r.bare, [{ message: `seed ${apps} apps`, files }]);
    return r;
  };
  const small = seeded(10);
  const large = seeded(5000);
  const [ws, wl] = [writerFor(small), writerFor(large)];
  const [gimlet, floor] = await timePair(
    (i) => wl.deploy(deployReq(large, "app-7", i + 10)),
    (i) => ws.deploy(deployReq(small, "app-7", i + 10)),
    RUNS,
    2,
  );
  rows.push({ benchmark: "deploy latency, 5,000 apps in one env folder vs 10 apps", gimlet, floor, target: 1.2 });
  // The same 5,000 apps over 10 env folders: a commit rewrites only its env's tree, so the latency stays flat.
  const spread = seeded(5000, 10);
  const wsp = writerFor(spread);
  const [spreadLatency, spreadFloor] = await timePair(
    (i) => wsp.deploy(deployReq(spread, "app-7", i + 10)),
    (i) => ws.deploy(deployReq(small, "app-7", i + 500)),
    RUNS,
    2,
  );
  rows.push({
    benchmark: "deploy latency, 5,000 apps in 10 env folders vs 10 apps",
    gimlet: spreadLatency,
    floor: spreadFloor,
    target: 1.2,
  });
  // For reference: how plain git scales on the same two repositories (a work-tree clone, add + commit + push).
  const [cs, cl] = [cloneRepo(small.bare, join(small.root, "raw")), cloneRepo(large.bare, join(large.root, "raw"))];
  const [rawLarge, rawSmall] = await timePair(
    async (i) => {
      await rawDeploy(cl, "app-8", i + 10);
      await rawPush(cl);
    },
    async (i) => {
      await rawDeploy(cs, "app-8", i + 10);
      await rawPush(cs);
    },
    quick ? 5 : 11,
  );
  rows.push({
    benchmark: "reference: raw git add+commit+push, 5,000 apps vs 10 apps",
    gimlet: rawLarge,
    floor: rawSmall,
  });
  // ... and `git push` alone: the remote's own work (connectivity check, the 5,000-entry tree) grows too.
  const pushOnly = async (clone: string): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < (quick ? 5 : 11); i++) {
      await rawDeploy(clone, "app-9", 100 + i);
      const start = performance.now();
      await rawPush(clone);
      times.push(performance.now() - start);
    }
    return median(times);
  };
  const pushSmall = await pushOnly(cs);
  const pushLarge = await pushOnly(cl);
  rows.push({ benchmark: "reference: git push alone, 5,000 apps vs 10 apps", gimlet: pushLarge, floor: pushSmall });
}

async function main(): Promise<void> {
  const started = performance.now();
  try {
    await warmDeploy();
    await queuedDeploys();
    await history();
    await manyApps();
  } finally {
    await Promise.all(writers.map((w) => w.close()));
    for (const r of remotes) r.cleanup();
  }
  console.log(markdownTable(rows));
  console.log(
    `\n${rows.length} benchmarks in ${((performance.now() - started) / 1000).toFixed(1)} s (median of ${RUNS} runs where not noted; floors measured interleaved in the same run)`,
  );
}

await main();
