/**
 * Hostile-input and fairness benchmarks (`node --import tsx bench/hostile.bench.ts`):
 * - RSS of the webhook server while 8 concurrent 25 MiB deliveries with no valid signature are refused (target: at
 *   most +50 MB), with Probot's stock middleware measured in the same run for reference;
 * - time for another repository's deploy while an artifact with the maximum number of environments is being
 *   released to the same gitops repository, against the same deploy alone (target ≤ 2×).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { defaultLimits } from "../app/limits.js";
import { GitopsWriter } from "../shared/gitops/index.js";
import { createBareRepo, tempDir } from "../test/helpers/gitRepos.js";
import { type BenchRow, markdownTable, median } from "./lib.js";

const QUICK = process.argv.includes("--quick");
const MiB = 1024 * 1024;
const DELIVERY = 25 * MiB;

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? "0");
  return kb * 1024;
}

async function startServer(stock: boolean): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "webhookServer.ts"), ...(stock ? ["stock"] : [])],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once("exit", (code) => reject(new Error(`webhook server exited ${code}`)));
  });
  return { child, port };
}

/** One 25 MiB delivery, streamed in 64 KiB pieces; resolves with the status (0 when the server cut the connection). */
function deliver(port: number, signature: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      "content-length": DELIVERY,
      "x-github-event": "push",
      "x-github-delivery": `bench-${Math.random()}`,
    };
    if (signature) headers["x-hub-signature-256"] = signature;
    let status = 0;
    const req = request({ host: "127.0.0.1", port, path: "/api/github/webhooks", method: "POST", headers }, (res) => {
      status = res.statusCode ?? 0;
      res.resume();
      res.on("end", () => resolve(status));
    });
    req.on("error", () => resolve(status));
    const piece = Buffer.alloc(64 * 1024, 0x20);
    piece[0] = 0x7b; // "{", then spaces: a body that is JSON-ish but never signed
    let sent = 0;
    const pump = (): void => {
      while (sent < DELIVERY) {
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

/** Peak RSS growth of the server while 8 deliveries run at once. */
async function peakGrowth(
  stock: boolean,
  signature: string | undefined,
): Promise<{ growth: number; statuses: number[] }> {
  const { child, port } = await startServer(stock);
  try {
    await new Promise((r) => setTimeout(r, 300));
    const before = rssOf(child.pid as number);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(child.pid as number));
    }, 5);
    const statuses = await Promise.all(Array.from({ length: 8 }, () => deliver(port, signature)));
    await new Promise((r) => setTimeout(r, 100));
    clearInterval(sampler);
    peak = Math.max(peak, rssOf(child.pid as number));
    return { growth: peak - before, statuses };
  } finally {
    child.kill("SIGKILL");
  }
}

interface MemoryRow {
  benchmark: string;
  ours: number;
  stock: number;
  statuses: string;
}

async function memoryRows(): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  const cases: Array<[string, string | undefined]> = [
    ["no signature header", undefined],
    ["well-formed forged signature", `sha256=${"0".repeat(64)}`],
  ];
  for (const [what, signature] of cases) {
    const ours = await peakGrowth(false, signature);
    const stock = await peakGrowth(true, signature);
    rows.push({
      benchmark: `8 concurrent 25 MiB deliveries, ${what}`,
      ours: ours.growth,
      stock: stock.growth,
      statuses: `${[...new Set(ours.statuses)].join("/")} vs ${[...new Set(stock.statuses)].join("/")}`,
    });
  }
  return rows;
}

const deployOf = (repo: string, source: string, app: string, n: number) => ({
  repo,
  env: "staging",
  app,
  files: [{ path: "deployment.yaml", content: `kind: Deployment\nmetadata:\n  name: ${app}\n# ${n}\n` }],
  release: {
    artifactId: `art-${app}-${n}`,
    triggeredBy: "policy",
    version: { sha: String(n).padStart(40, "0"), repositoryName: source },
    deployment: { repository: source, id: n },
  },
});

/** Another repository's deploy, alone and while one artifact's maximum of releases goes to the same gitops repo. */
async function fairnessRow(): Promise<BenchRow> {
  const remote = createBareRepo();
  const writer = new GitopsWriter({
    workDir: tempDir("gimlet-bench-fair-"),
    maxConcurrentPerSource: defaultLimits.maxConcurrentReleases,
  });
  try {
    await writer.readLock({ repo: remote.bare, env: "staging" });
    const runs = QUICK ? 5 : 11;
    const alone: number[] = [];
    const loaded: number[] = [];
    let n = 0;
    for (let i = 0; i < runs; i++) {
      let start = performance.now();
      await writer.deploy(deployOf(remote.bare, "acme/small", "small", ++n));
      alone.push(performance.now() - start);

      // The big artifact's releases all start at once; the small repository's deploy comes in at some moment while
      // they are being written (spread over the runs, so it lands at every phase of a batch, not one chosen moment).
      let bigDone = 0;
      const burst = Array.from({ length: defaultLimits.maxManifests }, (_, k) =>
        writer.deploy(deployOf(remote.bare, "acme/big", `big-${k}`, ++n)).then(() => bigDone++),
      );
      await new Promise((r) => setTimeout(r, 5 + ((i * 37) % 200)));
      if (bigDone === defaultLimits.maxManifests)
        throw new Error("the burst finished before the measured deploy began");
      start = performance.now();
      await writer.deploy(deployOf(remote.bare, "acme/small", "small", ++n));
      loaded.push(performance.now() - start);
      await Promise.all(burst);
    }
    return {
      benchmark: `another repository's deploy while an artifact's ${defaultLimits.maxManifests} releases go to the same gitops repo, vs alone`,
      gimlet: median(loaded),
      floor: median(alone),
      target: 2,
    };
  } finally {
    await writer.close();
    remote.cleanup();
  }
}

const memory = process.argv.includes("--fair-only") ? [] : await memoryRows();
console.log("| benchmark | gimlet peak RSS growth | stock Probot middleware | answers (ours vs stock) | target |");
console.log("|---|---:|---:|---|---:|");
for (const r of memory) {
  const mb = (bytes: number) => `${(bytes / MiB).toFixed(1)} MB`;
  const ok = r.ours <= 50 * MiB ? "" : " ✗";
  console.log(`| ${r.benchmark} | ${mb(r.ours)}${ok} | ${mb(r.stock)} | ${r.statuses} | ≤ +50 MB |`);
}
console.log("");
console.log(markdownTable([await fairnessRow()]));
