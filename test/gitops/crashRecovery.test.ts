import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "@jest/globals";
import { GitopsWriter } from "../../shared/gitops/index.js";
import { createBareRepo, git, type TempRemote, tempDir } from "../helpers/gitRepos.js";

const worker = join(import.meta.dirname, "..", "helpers", "crashWorker.ts");
const realGit = execFileSync("sh", ["-c", "command -v git"]).toString().trim();

/**
 * A `git` that behaves like git, except in the subcommand named by STALL_ON: there it leaves the lock files a real
 * git holds at that moment, touches STALL_MARK and sleeps, so the test can SIGKILL the writer exactly there.
 * fast-import: killed while holding its ref lock (`refs/gimlet/work.lock`). push: killed after the remote took the
 * commit, while updating the remote-tracking ref (`refs/remotes/origin/main.lock`, `packed-refs.lock`).
 */
function stallingGit(dir: string): string {
  const bin = join(dir, "bin");
  execFileSync("mkdir", ["-p", bin]);
  const script = `#!/bin/sh
sub=""; gitdir="$PWD"
for a in "$@"; do
  case "$a" in
    --git-dir=*) gitdir="\${a#--git-dir=}" ;;
    fast-import|push) [ -z "$sub" ] && sub="$a" ;;
  esac
done
if [ -n "$STALL_ON" ] && [ "$sub" = "$STALL_ON" ]; then
  if [ "$sub" = "push" ]; then
    "${realGit}" "$@" || exit $?
    : > "$gitdir/refs/remotes/origin/main.lock"
    : > "$gitdir/packed-refs.lock"
  else
    mkdir -p "$gitdir/refs/gimlet"
    : > "$gitdir/refs/gimlet/work.lock"
  fi
  : > "$STALL_MARK"
  exec sleep 600
fi
exec "${realGit}" "$@"
`;
  writeFileSync(join(bin, "git"), script);
  chmodSync(join(bin, "git"), 0o755);
  return bin;
}

const children: ChildProcess[] = [];
const remotes: TempRemote[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) killGroup(child);
  for (const r of remotes.splice(0)) r.cleanup();
});

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), "SIGKILL");
  } catch {
    // already gone
  }
}

/** Start a writer process that stalls in `stallOn`; resolves once it is stalled there (holding git's locks). */
async function stalledWriter(bare: string, workDir: string, stallOn: "fast-import" | "push"): Promise<ChildProcess> {
  const scratch = tempDir("gimlet-crash-");
  const mark = join(scratch, "stalled");
  const child = spawn(process.execPath, ["--import", "tsx", worker, bare, workDir, "a1"], {
    env: { ...process.env, PATH: `${stallingGit(scratch)}:${process.env.PATH}`, STALL_ON: stallOn, STALL_MARK: mark },
    detached: true, // its own process group: SIGKILL takes git and the shell with it, as a crash would
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  for (let waited = 0; !existsSync(mark); waited += 20) {
    if (child.exitCode !== null || waited > 20_000) throw new Error(`the writer did not stall: ${stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return child;
}

async function killed(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  killGroup(child);
  await exited;
}

function locksIn(dir: string, sub = ""): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
    const path = sub ? `${sub}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...locksIn(dir, path));
    else if (entry.name.endsWith(".lock")) found.push(path);
  }
  return found.sort();
}

const deployment = (repo: string, app: string) => ({
  repo,
  env: "staging",
  app,
  files: [{ path: "deployment.yaml", content: `kind: Deployment\nmetadata:\n  name: ${app}\n` }],
  release: { artifactId: `art-${app}`, triggeredBy: "test", version: { sha: "2".repeat(40) } },
});

describe("crash recovery: a writer killed mid-write leaves nothing a human must clean", () => {
  test("killed mid fast-import (refs/gimlet/work.lock left): the next release succeeds", async () => {
    const remote = createBareRepo();
    remotes.push(remote);
    const workDir = tempDir("gimlet-work-");
    await killed(await stalledWriter(remote.bare, workDir, "fast-import"));
    const writer = new GitopsWriter({ workDir });
    const clone = writer.clonePath({ repo: remote.bare });
    expect(locksIn(clone)).toEqual(["refs/gimlet/work.lock"]); // the state a SIGKILL leaves

    const outcome = await writer.deploy(deployment(remote.bare, "a2"));
    expect(outcome.decision).toBe("committed");
    expect(writer.clonePath({ repo: remote.bare })).toBe(clone); // the same warm clone, recovered
    expect(locksIn(clone)).toEqual([]);
    expect(git(remote.bare, ["ls-tree", "--name-only", "main", "staging/"]).split("\n")).toEqual(["staging/a2"]);
    await writer.close();
  });

  test("killed mid push (tracking-ref and packed-refs locks left): the next release succeeds, the pushed one kept", async () => {
    const remote = createBareRepo();
    remotes.push(remote);
    const workDir = tempDir("gimlet-work-");
    await killed(await stalledWriter(remote.bare, workDir, "push"));
    const writer = new GitopsWriter({ workDir });
    const clone = writer.clonePath({ repo: remote.bare });
    expect(locksIn(clone)).toEqual(["packed-refs.lock", "refs/remotes/origin/main.lock"]);

    expect((await writer.deploy(deployment(remote.bare, "a2"))).decision).toBe("committed");
    expect(git(remote.bare, ["ls-tree", "--name-only", "main", "staging/"]).split("\n")).toEqual([
      "staging/a1",
      "staging/a2",
    ]);
    expect(locksIn(clone)).toEqual([]);
    await writer.close();
  });

  test("a lock held by a live writer process is never touched: the other writer uses a clone of its own", async () => {
    const remote = createBareRepo();
    remotes.push(remote);
    const workDir = tempDir("gimlet-work-");
    const live = await stalledWriter(remote.bare, workDir, "fast-import");
    const writer = new GitopsWriter({ workDir });
    const shared = writer.clonePath({ repo: remote.bare });

    expect((await writer.deploy(deployment(remote.bare, "a2"))).decision).toBe("committed");
    expect(writer.clonePath({ repo: remote.bare })).toBe(`${shared}.alt-1`);
    expect(locksIn(shared)).toEqual(["refs/gimlet/work.lock"]); // still the live writer's
    await writer.close();
    await killed(live);

    // Once that process is gone, the next writer takes the first clone over and clears its lock.
    const next = new GitopsWriter({ workDir });
    expect((await next.deploy(deployment(remote.bare, "a3"))).decision).toBe("committed");
    expect(next.clonePath({ repo: remote.bare })).toBe(shared);
    expect(locksIn(shared)).toEqual([]);
    await next.close();
  });

  test("a lock that comes back mid-run is cleared before the next write (same process)", async () => {
    const remote = createBareRepo();
    remotes.push(remote);
    const writer = new GitopsWriter({ workDir: tempDir("gimlet-work-") });
    expect((await writer.deploy(deployment(remote.bare, "a1"))).decision).toBe("committed");
    const clone = writer.clonePath({ repo: remote.bare });
    // A git child of this process killed (OOM killer) while holding its locks:
    writeFileSync(join(clone, "refs", "gimlet", "work.lock"), "");
    writeFileSync(join(clone, "refs", "remotes", "origin", "main.lock"), "");
    expect((await writer.deploy(deployment(remote.bare, "a2"))).decision).toBe("committed");
    expect(locksIn(clone)).toEqual([]);
    await writer.close();
  });
});
