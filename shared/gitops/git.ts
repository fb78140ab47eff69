import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { type SimpleGit, simpleGit } from "simple-git";
import { ConfigError, Transient } from "../errors.js";

/** Who commits: author and committer alike. */
export interface GitIdentity {
  name: string;
  email: string;
}

export const DEFAULT_IDENTITY: GitIdentity = { name: "gimlet[bot]", email: "gimlet[bot]@users.noreply.github.com" };

/**
 * Ambient variables git needs to reach a remote behind a custom CA or over ssh. simple-git strips every
 * other inherited GIT_* variable (its environment guard); the processes spawned here directly inherit
 * the environment but name their repository with `--git-dir`, so a GIT_DIR of a calling hook can't
 * redirect the writer.
 */
export const ALLOWED_GIT_ENV = [
  "GIT_SSL_CAINFO",
  "GIT_SSL_CAPATH",
  "GIT_SSH_COMMAND",
  "GIT_SSH",
  "GIT_ASKPASS",
  "GIT_TERMINAL_PROMPT",
];

/**
 * A simple-git client for one folder. Identity goes through `-c` config (never `.env()`), debug logging
 * is never enabled (it prints the child environment, tokens included). Callers use `raw()` with commands
 * that print something: simple-git waits 50 ms after any command that prints nothing.
 */
export function gitClient(baseDir: string, identity: GitIdentity): SimpleGit {
  return simpleGit({
    baseDir,
    maxConcurrentProcesses: 4,
    trimmed: false,
    allowEnvironment: ALLOWED_GIT_ENV,
    timeout: { block: 120_000 },
    config: [
      `user.name=${identity.name}`,
      `user.email=${identity.email}`,
      "commit.gpgsign=false",
      "core.autocrlf=false",
      "core.quotePath=false",
    ],
  });
}

const REMOTE_COMMANDS = new Set(["fetch", "push", "ls-remote"]);
const REMOTE_TIMEOUT_MS = 120_000;

/**
 * Spawn git on the bare repository `gitDir`: local plumbing (cat-file, log, fast-import, config) and the commands
 * that talk to the remote, which get `env` (their credentials) and a timeout.
 */
export function spawnGit(
  gitDir: string,
  args: string[],
  env?: Readonly<Record<string, string>>,
): ChildProcessWithoutNullStreams {
  return spawn("git", [`--git-dir=${gitDir}`, ...args], {
    cwd: gitDir,
    stdio: ["pipe", "pipe", "pipe"],
    // a remote that stops answering must not hold the write queue forever (simple-git's block timeout did this before)
    ...(REMOTE_COMMANDS.has(args[0] ?? "") ? { timeout: REMOTE_TIMEOUT_MS } : {}),
    ...(env ? { env: { ...process.env, GIT_TERMINAL_PROMPT: "0", ...env } } : {}),
  });
}

/**
 * Per-command git settings for a remote's credentials (DESIGN §7: none at rest or in argv): `GIT_CONFIG_COUNT` /
 * `GIT_CONFIG_KEY_n` / `GIT_CONFIG_VALUE_n` reach only the one git process (and its children) that talks to the
 * remote, never `.git/config`, a URL on disk or the process list.
 */
export function gitConfigEnv(settings: ReadonlyArray<readonly [key: string, value: string]>): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(settings.length) };
  settings.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** Hide credentials embedded in remote URLs (`https://x-access-token:TOKEN@github.com/...`). */
export function redact(text: string): string {
  return text.replace(/(\w+:\/\/)[^/@\s]+@/g, "$1***@");
}

/** The remote without its credentials: installation tokens change hourly, the repository doesn't. */
export function withoutCredentials(url: string): string {
  return url.replace(/^(\w+:\/\/)[^/@\s]+@/, "$1");
}

function messageOf(error: unknown): string {
  return redact(error instanceof Error ? error.message : String(error));
}

/** The push lost a race: the branch moved on the remote. */
export function isPushRejected(error: unknown): boolean {
  return /\[rejected\]|fetch first|non-fast-forward|failed to update ref|cannot lock ref|stale info|\[remote rejected\].*(lock|incorrect old value)/i.test(
    messageOf(error),
  );
}

const MISSING =
  /does not appear to be a git repository|repository .* not found|not a git repository|could not find remote ref/i;

/** Map a git failure to the product's typed errors: ConfigError for a missing remote or branch, Transient otherwise. */
export function typedGitError(error: unknown, what: string): Error {
  const message = `${what}: ${messageOf(error)}`.trim();
  if (MISSING.test(message)) return new ConfigError(message);
  // Anything else from git talking to a remote is treated as passing (network, a busy server, a lock).
  return new Transient(message);
}

/** Run one git process on a bare repository, collecting stdout as bytes (for blobs) and failing with its stderr. */
export function runGit(
  cwd: string,
  args: string[],
  input?: string,
  env?: Readonly<Record<string, string>>,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(cwd, args, env);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else
        reject(
          new Error(
            `git ${args.find((a) => !a.startsWith("-") && !a.includes("=")) ?? ""} failed (${code}): ${redact(Buffer.concat(err).toString("utf8").trim())}`,
          ),
        );
    });
    child.stdin.on("error", () => undefined); // the process may exit before reading all input
    child.stdin.end(input ?? "");
  });
}

export interface GitObject {
  type: string;
  data: Buffer;
}

/**
 * Read many objects with ONE `git cat-file --batch` process: `names` are object ids or `<rev>:<path>`.
 * Returns them in order, undefined for a missing one.
 */
export async function catFile(cwd: string, names: readonly string[]): Promise<Array<GitObject | undefined>> {
  if (names.length === 0) return [];
  const out = await runGit(cwd, ["cat-file", "--batch"], `${names.join("\n")}\n`);
  const results: Array<GitObject | undefined> = [];
  let pos = 0;
  for (let i = 0; i < names.length; i++) {
    const eol = out.indexOf(0x0a, pos);
    if (eol < 0) throw new Error("git cat-file --batch: truncated output");
    const header = out.toString("utf8", pos, eol);
    pos = eol + 1;
    const [, type, sizeText] = header.split(" ");
    const size = Number(sizeText);
    if (type === undefined || type === "missing" || type === "ambiguous" || sizeText === undefined) {
      results.push(undefined);
      continue;
    }
    if (!Number.isInteger(size)) throw new Error(`git cat-file --batch: bad header ${header}`);
    results.push({ type, data: out.subarray(pos, pos + size) });
    pos += size + 1;
  }
  return results;
}

/**
 * A running `git cat-file --batch` fed while its caller is still producing names (history feeds it
 * from the streaming `git log`, so the two processes work side by side). Answers come back in order.
 */
export class ObjectStream {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<(obj: GitObject | undefined) => void> = [];
  private buffer: Buffer = Buffer.alloc(0);
  private failed: Error | undefined;

  constructor(cwd: string) {
    this.child = spawnGit(cwd, ["cat-file", "--batch"]);
    const stderr: Buffer[] = [];
    this.child.stdout.on("data", (chunk: Buffer) => this.take(chunk));
    this.child.stderr.on("data", (b: Buffer) => stderr.push(b));
    this.child.stdin.on("error", () => undefined);
    const fail = (error: Error): void => {
      this.failed = error;
      for (const resolve of this.waiting.splice(0)) resolve(undefined);
    };
    this.child.on("error", fail);
    this.child.on("close", (code) => {
      if (this.waiting.length > 0)
        fail(new Error(`git cat-file exited ${code}: ${redact(Buffer.concat(stderr).toString("utf8").trim())}`));
    });
  }

  /** Ask for an object id or `<rev>:<path>`. */
  read(name: string): Promise<GitObject | undefined> {
    return new Promise((resolve) => {
      if (this.failed) return resolve(undefined);
      this.waiting.push(resolve);
      this.child.stdin.write(`${name}\n`);
    });
  }

  /** No more names will come; answers already asked for still arrive. */
  end(): void {
    this.child.stdin.end();
  }

  /** The failure of the process, if any (answers asked for then resolve to undefined). */
  get error(): Error | undefined {
    return this.failed;
  }

  kill(): void {
    this.child.kill();
  }

  private take(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : (Buffer.concat([this.buffer, chunk]) as Buffer);
    for (;;) {
      const eol = this.buffer.indexOf(0x0a);
      if (eol < 0 || this.waiting.length === 0) return;
      const [, type, sizeText] = this.buffer.toString("utf8", 0, eol).split(" ");
      if (type === undefined || type === "missing" || type === "ambiguous" || sizeText === undefined) {
        this.buffer = this.buffer.subarray(eol + 1);
        this.waiting.shift()?.(undefined);
        continue;
      }
      const size = Number(sizeText);
      if (this.buffer.length < eol + 1 + size + 1) return;
      const data = Buffer.from(this.buffer.subarray(eol + 1, eol + 1 + size));
      this.buffer = this.buffer.subarray(eol + 1 + size + 1);
      this.waiting.shift()?.({ type, data });
    }
  }
}
