/**
 * Scale case moved out of the suite (`node --import tsx bench/concurrency.bench.ts`): 4 writer processes × 25 deploys
 * of different apps into one gitops repo, each process with its own warm clone like a replica. Checks nothing is lost
 * or doubled and reports the rejected (retried) pushes; the floor is 25 serial raw add+commit+push from one clone.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cloneRepo, createBareRepo, git, listTree, subjects } from "../test/helpers/gitRepos.js";
import { type BenchRow, markdownTable, run } from "./lib.js";

const root = join(import.meta.dirname, "..");
const workerScript = join(root, "test", "helpers", "gitopsWorker.ts");
const WORKERS = 4;
const PER_WORKER = 25;
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^GIT_/i.test(k) || k === "GIT_SSL_CAINFO"),
);

interface WorkerResult {
  ok: boolean;
  error?: string;
  outcomes: Array<{ decision: string; app: string; gitopsSha: string }>;
  stats?: { rejectedPushes: number };
}

function startWorker(bare: string, worker: number) {
  const child = spawn(process.execPath, ["--import", "tsx", workerScript, bare, String(worker), String(PER_WORKER)], {
    cwd: root,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on("data", (b: Buffer) => {
    out += b.toString();
    if (out.startsWith("ready\n")) markReady();
  });
  const result = new Promise<WorkerResult>((resolve, reject) => {
    child.on("close", (code) => {
      markReady();
      try {
        resolve(JSON.parse(out.trim().split("\n").pop() ?? "") as WorkerResult);
      } catch {
        reject(new Error(`worker ${worker} exited ${code}: ${out}`));
      }
    });
  });
  return { ready, go: () => child.stdin.end("go\n"), result };
}

async function main(): Promise<void> {
  const remote = createBareRepo();
  const floorRemote = createBareRepo();
  try {
    const workers = Array.from({ length: WORKERS }, (_, w) => startWorker(remote.bare, w));
    await Promise.all(workers.map((w) => w.ready));
    const started = performance.now();
    for (const w of workers) w.go();
    const results = await Promise.all(workers.map((w) => w.result));
    const gimlet = performance.now() - started;
    const total = WORKERS * PER_WORKER;
    const problems: string[] = [];
    if (!results.every((r) => r.ok)) problems.push(results.map((r) => r.error).join("; "));
    if (listTree(remote.bare, "main", "staging").length !== total) problems.push("folders lost");
    const deploys = subjects(remote.bare).filter((s) => s.startsWith("[gimlet] staging/"));
    if (deploys.length !== total || new Set(deploys).size !== total) problems.push("commits lost or doubled");
    const onMain = new Set(git(remote.bare, ["rev-list", "main"]).split("\n"));
    if (!results.flatMap((r) => r.outcomes).every((o) => onMain.has(o.gitopsSha))) problems.push("an outcome off main");
    const rejected = results.reduce((n, r) => n + (r.stats?.rejectedPushes ?? 0), 0);

    const clone = cloneRepo(floorRemote.bare, join(floorRemote.root, "clone"));
    const floorStarted = performance.now();
    for (let i = 0; i < PER_WORKER; i++) {
      const dir = join(clone, "staging", `raw-${i}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "deployment.yaml"), `kind: Deployment\nmetadata:\n  name: raw-${i}\n`);
      await run("git", ["add", "-A", "--", `staging/raw-${i}`], clone, env);
      await run("git", ["commit", "-q", "--no-verify", "-m", `deploy ${i}`], clone, env);
      await run("git", ["push", "-q", "origin", "HEAD:refs/heads/main"], clone, env);
    }
    const floor = performance.now() - floorStarted;
    const rows: BenchRow[] = [
      {
        benchmark: `${WORKERS} processes × ${PER_WORKER} deploys into one gitops repo vs ${PER_WORKER} serial raw pushes from one clone`,
        gimlet,
        floor,
        note: `${total} commits, ${rejected} rejected pushes retried${problems.length ? `; ${problems.join(", ")}` : "; none lost or doubled"}`,
      },
    ];
    console.log(markdownTable(rows));
    if (problems.length) process.exitCode = 1;
  } finally {
    remote.cleanup();
    floorRemote.cleanup();
  }
}

await main();
