import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { createBareRepo, git, listTree, show, subjects, type TempRemote } from "../helpers/gitRepos.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const workerScript = join(root, "test", "helpers", "gitopsWorker.ts");
const PER_WORKER = 4;
const TOTAL = 2 * PER_WORKER;

interface WorkerResult {
  ok: boolean;
  error?: string;
  outcomes: Array<{ decision: string; app: string; gitopsSha: string; pushAttempts: number }>;
  stats?: { pushes: number; rejectedPushes: number };
}

interface Worker {
  ready: Promise<void>;
  go(): void;
  result: Promise<WorkerResult>;
}

function startWorker(bare: string, worker: number, count: number): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", workerScript, bare, String(worker), String(count)], {
    cwd: root,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on("data", (b: Buffer) => {
    out += b.toString();
    if (out.startsWith("ready\n")) markReady();
  });
  child.stderr.on("data", (b: Buffer) => (err += b.toString()));
  const result = new Promise<WorkerResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      markReady();
      const line = out.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(line) as WorkerResult);
      } catch {
        reject(new Error(`worker ${worker} exited ${code}: ${err || out}`));
      }
    });
  });
  return { ready, go: () => child.stdin.end("go\n"), result };
}

describe("gitops writer: concurrent writer processes", () => {
  let remote: TempRemote;
  beforeAll(() => {
    remote = createBareRepo();
  });
  afterAll(() => remote.cleanup());

  test("2 processes × 4 deploys of different apps: 8 folders, 8 commits, none lost or doubled (4 × 25 in npm run bench)", async () => {
    const workers = [0, 1].map((w) => startWorker(remote.bare, w, PER_WORKER));
    await Promise.all(workers.map((w) => w.ready)); // every clone is warm at the same tip
    for (const w of workers) w.go();
    const results = await Promise.all(workers.map((w) => w.result));
    for (const r of results) expect(r).toMatchObject({ ok: true });

    const apps = listTree(remote.bare, "main", "staging");
    expect(apps).toHaveLength(TOTAL);
    const deploys = subjects(remote.bare).filter((s) => s.startsWith("[gimlet] staging/"));
    expect(deploys).toHaveLength(TOTAL);
    expect(new Set(deploys).size).toBe(TOTAL);
    expect(subjects(remote.bare)).toHaveLength(TOTAL + 1); // + the initial commit

    for (let w = 0; w < 2; w++) {
      for (let i = 0; i < PER_WORKER; i++) {
        const app = `w${w}-a${i}`;
        const release = JSON.parse(show(remote.bare, "main", `staging/${app}/release.json`) ?? "{}");
        expect(release).toMatchObject({ app, env: "staging", artifactId: `art-${app}` });
      }
    }
    // Each outcome names the commit that holds its app, and that commit is on main.
    const onMain = new Set(git(remote.bare, ["rev-list", "main"]).split("\n"));
    const outcomes = results.flatMap((r) => r.outcomes);
    expect(outcomes).toHaveLength(TOTAL);
    for (const o of outcomes) {
      expect(o.decision).toBe("committed");
      expect(onMain.has(o.gitopsSha)).toBe(true);
      expect(git(remote.bare, ["show", "--format=%s", "--name-only", o.gitopsSha])).toContain(
        `staging/${o.app}/release.json`,
      );
    }
    // Whether pushes raced depends on timing; the bench counts the rejected pushes of the 4 × 25 case.
  });
});
