/** Shared helpers for benchmarks: timing (median of N runs) and the Markdown result table. */
import { spawn } from "node:child_process";

export interface BenchRow {
  benchmark: string;
  /** Median ms of the product's code path. */
  gimlet: number;
  /** Median ms of the floor measured in the same run (the least work that does the same thing). */
  floor: number;
  /** Highest acceptable gimlet/floor ratio; absent for rows shown for reference only. */
  target?: number;
  note?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const upper = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 ? upper : ((sorted[mid - 1] ?? Number.NaN) + upper) / 2;
}

/** Run `fn` `warmup` times untimed, then `runs` times; returns the median wall time in ms. */
export async function timeMedian(
  fn: (i: number) => Promise<unknown> | unknown,
  runs: number,
  warmup = 1,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * Time two variants interleaved (a, b, a, b, ...) so drift in machine load hits both alike.
 * Returns [median a, median b].
 */
export async function timePair(
  a: (i: number) => Promise<unknown>,
  b: (i: number) => Promise<unknown>,
  runs: number,
  warmup = 1,
): Promise<[number, number]> {
  for (let i = 0; i < warmup; i++) {
    await a(-1 - i);
    await b(-1 - i);
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    await a(i);
    ta.push(performance.now() - start);
    start = performance.now();
    await b(i);
    tb.push(performance.now() - start);
  }
  return [median(ta), median(tb)];
}

const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

/** The result table: `benchmark | gimlet | floor | ratio | target`, ratio marked when over target. */
export function markdownTable(rows: BenchRow[]): string {
  const lines = ["| benchmark | gimlet | floor | ratio | target |", "|---|---:|---:|---:|---:|"];
  for (const r of rows) {
    const ratio = r.gimlet / r.floor;
    const ok = r.target === undefined || ratio <= r.target ? "" : " ✗";
    const target = r.target === undefined ? "—" : `≤ ${r.target}`;
    lines.push(
      `| ${r.benchmark}${r.note ? ` (${r.note})` : ""} | ${fmt(r.gimlet)} ms | ${fmt(r.floor)} ms | ${ratio.toFixed(2)}${ok} | ${target} |`,
    );
  }
  return lines.join("\n");
}

/** Spawn a process and wait for it; stdout is returned, a non-zero exit throws. Used for "raw git" floors. */
export function run(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(" ")}: ${err}`))));
  });
}
