import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The environment for git in tests: no inherited GIT_DIR/GIT_INDEX_FILE/... from a calling hook. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^GIT_/i.test(k) || k === "GIT_SSL_CAINFO") env[k] = v;
  return {
    ...env,
    GIT_AUTHOR_NAME: "tester",
    GIT_AUTHOR_EMAIL: "tester@example.invalid",
    GIT_COMMITTER_NAME: "tester",
    GIT_COMMITTER_EMAIL: "tester@example.invalid",
    ...extra,
  };
}

/** Run git synchronously; returns stdout (trimmed at the end). */
export function git(cwd: string, args: string[], input?: string | Buffer): string {
  return execFileSync("git", args, {
    cwd,
    env: cleanEnv(),
    input,
    maxBuffer: 256 * 1024 * 1024,
    stdio: ["pipe", "pipe", "pipe"],
  })
    .toString("utf8")
    .replace(/\n$/, "");
}

export function tempDir(prefix = "gimlet-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TempRemote {
  root: string;
  bare: string;
  cleanup(): void;
}

/** A bare repository with `main` holding one commit (a README), under a fresh temp folder. */
export function createBareRepo(seed: Record<string, string> = { "README.md": "# gitops\n" }): TempRemote {
  const root = tempDir("gimlet-gitops-test-");
  const bare = join(root, "remote.git");
  git(root, ["init", "--bare", "--quiet", "--initial-branch=main", bare]);
  fastImport(bare, commitStream([{ message: "initial", files: seed }]));
  return { root, bare, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A working clone of `bare` (for pushing "from another replica" and for inspecting). */
export function cloneRepo(bare: string, dir: string): string {
  git(tempDirParent(dir), ["clone", "--quiet", bare, dir]);
  git(dir, ["config", "user.name", "other"]);
  git(dir, ["config", "user.email", "other@example.invalid"]);
  return dir;
}

function tempDirParent(dir: string): string {
  return join(dir, "..");
}

export interface StreamCommit {
  message: string;
  /** path → content; `null` deletes the path (a folder or a file). */
  files: Record<string, string | null>;
  /** Seconds since the epoch (default: increasing from 2026-01-01). */
  time?: number;
  author?: string;
}

/**
 * A `git fast-import` stream of commits on `refs/heads/<branch>`, each on top of the previous one
 * (the first continues the branch when `from` is given). Thousands of commits import in a second.
 */
export function commitStream(
  commits: StreamCommit[],
  opts: { branch?: string; from?: string; startTime?: number } = {},
): string {
  const branch = opts.branch ?? "main";
  const parts: string[] = [];
  let time = opts.startTime ?? 1767225600;
  commits.forEach((c, i) => {
    const when = c.time ?? time++;
    const who = c.author ?? "gimlet[bot] <gimlet[bot]@users.noreply.github.com>";
    const msg = Buffer.from(c.message, "utf8");
    parts.push(
      `commit refs/heads/${branch}\nmark :${i + 1}\nauthor ${who} ${when} +0000\ncommitter ${who} ${when} +0000\ndata ${msg.length}\n${c.message}\n`,
    );
    if (i === 0 && opts.from) parts.push(`from ${opts.from}\n`);
    for (const [path, content] of Object.entries(c.files)) {
      if (content === null) {
        parts.push(`D ${path}\n`);
      } else {
        const data = Buffer.from(content, "utf8");
        parts.push(`M 100644 inline ${path}\ndata ${data.length}\n${content}\n`);
      }
    }
    parts.push("\n");
  });
  return parts.join("");
}

export function fastImport(bare: string, stream: string): void {
  git(bare, ["fast-import", "--quiet", "--force"], stream);
}

/** Append commits to an existing branch of `bare` with fast-import. */
export function appendCommits(
  bare: string,
  commits: StreamCommit[],
  opts: { branch?: string; startTime?: number } = {},
): void {
  const branch = opts.branch ?? "main";
  const from = git(bare, ["rev-parse", `refs/heads/${branch}`]);
  fastImport(bare, commitStream(commits, { ...opts, branch, from }));
}

/** Subjects of the branch, newest first. */
export function subjects(repo: string, rev = "main"): string[] {
  const out = git(repo, ["log", "--format=%s", rev]);
  return out === "" ? [] : out.split("\n");
}

/** The content of `path` at `rev`, or undefined. */
export function show(repo: string, rev: string, path: string): string | undefined {
  try {
    return git(repo, ["show", `${rev}:${path}`]);
  } catch {
    return undefined;
  }
}

/** Names under a folder at `rev` (non-recursive). */
export function listTree(repo: string, rev: string, folder: string): string[] {
  const out = git(repo, ["ls-tree", "--name-only", `${rev}:${folder}`]);
  return out === "" ? [] : out.split("\n");
}

/** A release.json as the gimlet writer stores it, for generated histories. */
export function releaseJson(fields: {
  app: string;
  env: string;
  artifactId: string;
  sha: string;
  created: string;
  triggeredBy?: string;
  rollbackOf?: string;
}): string {
  const record: Record<string, unknown> = {
    app: fields.app,
    env: fields.env,
    artifactId: fields.artifactId,
    triggeredBy: fields.triggeredBy ?? "policy",
    version: { repositoryName: "acme/app", sha: fields.sha, branch: "main", message: "change" },
    created: fields.created,
  };
  if (fields.rollbackOf) Object.assign(record, { rollback: { of: fields.rollbackOf }, pinned: true });
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** A 40-hex sha for tests, derived from a number. */
export function fakeSha(n: number): string {
  return n.toString(16).padStart(8, "0").repeat(5);
}
