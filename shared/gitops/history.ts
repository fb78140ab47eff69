import { ConfigError } from "../errors.js";
import { type GitObject, ObjectStream, redact, runGit, spawnGit } from "./git.js";
import { appFolder, appOfRepoPath, envFolder, RELEASE_FILE } from "./layout.js";
import { type CommitKind, parseSubject } from "./messages.js";
import { parseStoredRelease } from "./release.js";

export interface HistoryEntry {
  type: CommitKind;
  env: string;
  app: string;
  gitopsSha: string;
  /** The release's `created`, or the commit date for deletes and for records that lack it. */
  created: string;
  version?: Record<string, unknown>;
  artifactId?: string;
  triggeredBy?: string;
  /** A later rollback skipped over this release. */
  rolledBack: boolean;
  pinned?: boolean;
  rollbackOf?: string;
  deployment?: { repository: string; id: number | string };
}

export interface HistoryQuery {
  env: string;
  app?: string;
  path?: string;
  limit?: number;
}

/** One release event found in the log, before its release.json is read. */
interface Candidate {
  sha: string;
  date: string;
  app: string;
  subjectKind?: CommitKind;
  /** The release.json object to read: a blob id, or `<sha>:<path>`; undefined when the file is gone. */
  blob?: string;
}

const LOG_FORMAT = "%x1e%H%x1f%ct%x1f%s";

/**
 * Release history of an env (or one app) at `rev`, newest first. ONE `git log --raw` walks the commits
 * touching the folder (streamed, and stopped once `limit` entries are found), ONE `git cat-file --batch`
 * reads the release.json blobs it names.
 *
 * An entry is a commit that adds, changes or removes `<app>/release.json`, or that has a gimlet subject
 * for that app. Type: the gimlet subject's kind; else "delete" when release.json is gone, "rollback" when
 * the record says so, "deploy" otherwise (records Gimlet wrote).
 */
export async function readHistory(cwd: string, rev: string, q: HistoryQuery): Promise<HistoryEntry[]> {
  const folder = envFolder(q);
  const pathspec = q.app ? appFolder(q, q.app) : folder || ".";
  const limit = q.limit === undefined ? Infinity : Math.max(0, Math.floor(q.limit));
  if (limit === 0 || rev === "") return [];
  const objects = new ObjectStream(cwd);
  const found: Array<{ candidate: Candidate; text: Promise<GitObject | undefined> | undefined }> = [];
  try {
    await scanLog(cwd, rev, pathspec, folder, q.app, limit, (candidate) => {
      found.push({ candidate, text: candidate.blob ? objects.read(candidate.blob) : undefined });
    });
  } finally {
    objects.end();
  }
  const texts = await Promise.all(found.map((f) => f.text));
  if (objects.error) throw objects.error;
  const entries = found.map((f, i) =>
    toEntry(f.candidate, texts[i]?.type === "blob" ? texts[i]?.data.toString("utf8") : undefined, q.env),
  );
  markRolledBack(entries);
  return entries;
}

function toEntry(c: Candidate, text: string | undefined, env: string): HistoryEntry {
  const release = text === undefined ? undefined : parseStoredRelease(text, { app: c.app, env });
  if (!release) {
    return {
      type: c.subjectKind === "delete" || !c.blob ? "delete" : (c.subjectKind ?? "deploy"),
      env,
      app: c.app,
      gitopsSha: c.sha,
      created: c.date,
      rolledBack: false,
    };
  }
  const type: CommitKind =
    c.subjectKind && c.subjectKind !== "delete" ? c.subjectKind : release.rollback ? "rollback" : "deploy";
  const entry: HistoryEntry = {
    type,
    env,
    app: c.app,
    gitopsSha: c.sha,
    created: release.created ?? c.date,
    version: release.version,
    artifactId: release.artifactId,
    triggeredBy: release.triggeredBy,
    rolledBack: false,
  };
  if (release.pinned !== undefined) entry.pinned = release.pinned;
  if (release.rollback) entry.rollbackOf = release.rollback.of;
  if (release.deployment) entry.deployment = release.deployment;
  return entry;
}

/**
 * `rolledBack`: walking newest → oldest, a rollback to T marks every older entry of its app until T.
 * A rollback that is itself skipped by a newer one doesn't count.
 */
export function markRolledBack(entries: HistoryEntry[]): void {
  const skippingTo = new Map<string, string>();
  for (const e of entries) {
    const target = skippingTo.get(e.app);
    if (target !== undefined) {
      if (e.gitopsSha === target) skippingTo.delete(e.app);
      else e.rolledBack = true;
      continue;
    }
    if (e.type === "rollback" && e.rollbackOf) skippingTo.set(e.app, e.rollbackOf);
  }
}

/** Stream `git log --raw`, handing each candidate to `emit` as soon as its commit is parsed, up to `limit`. */
function scanLog(
  cwd: string,
  rev: string,
  pathspec: string,
  folder: string,
  app: string | undefined,
  limit: number,
  emit: (c: Candidate) => void,
): Promise<void> {
  const args = ["log", "--no-renames", "--raw", "--no-abbrev", `--format=${LOG_FORMAT}`, rev, "--", pathspec];
  return new Promise((resolve, reject) => {
    const child = spawnGit(cwd, args);
    child.stdin.end();
    let count = 0;
    let rest = "";
    let done = false;
    const stderr: string[] = [];
    const finish = (): void => {
      if (done) return;
      done = true;
      child.kill();
      resolve();
    };
    const take = (record: string): void => {
      if (record.trim() === "") return;
      for (const c of candidatesOf(record, folder, app)) {
        emit(c);
        if (++count >= limit) {
          finish();
          return;
        }
      }
    };
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      if (done) return;
      const records = (rest + chunk).split("\x1e");
      rest = records.pop() ?? "";
      for (const r of records) {
        take(r);
        if (done) return;
      }
    });
    child.stderr.on("data", (b: Buffer) => stderr.push(b.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (done) return;
      if (code !== 0) return reject(new Error(`git log failed (${code}): ${redact(stderr.join("").trim())}`));
      take(rest);
      finish();
    });
  });
}

/** Candidates of one commit record: `<sha>\x1f<ct>\x1f<subject>\n\n:<raw lines>`. */
function candidatesOf(record: string, folder: string, onlyApp: string | undefined): Candidate[] {
  const [header = "", ...changes] = record.split("\n");
  const [sha = "", ct, subject = ""] = header.split("\x1f");
  const date = new Date(Number(ct) * 1000).toISOString();
  const parsed = parseSubject(subject);
  const byApp = new Map<string, Candidate>();
  const touched = new Set<string>();
  for (const line of changes) {
    if (!line.startsWith(":")) continue;
    const tab = line.indexOf("\t");
    const path = line.slice(tab + 1);
    const app = appOfRepoPath(folder, path);
    if (!app || (onlyApp && app !== onlyApp)) continue;
    touched.add(app);
    const appPrefix = folder === "" ? app : `${folder}/${app}`;
    if (path !== `${appPrefix}/${RELEASE_FILE}`) continue;
    // ":<srcmode> <dstmode> <srcsha> <dstsha> <status>"
    const fields = line.slice(1, tab).split(" ");
    const status = fields[4] ?? "";
    const kind = parsed && parsed.app === app ? parsed.kind : undefined;
    byApp.set(app, { sha, date, app, subjectKind: kind, blob: status.startsWith("D") ? undefined : fields[3] });
  }
  // A gimlet commit for an app whose release.json happens to be unchanged still is an event of that app.
  if (parsed && touched.has(parsed.app) && !byApp.has(parsed.app)) {
    const appPrefix = folder === "" ? parsed.app : `${folder}/${parsed.app}`;
    byApp.set(parsed.app, {
      sha,
      date,
      app: parsed.app,
      subjectKind: parsed.kind,
      blob: parsed.kind === "delete" ? undefined : `${sha}:${appPrefix}/${RELEASE_FILE}`,
    });
  }
  return [...byApp.values()];
}

/** A gitops commit and what links it to its GitHub Deployments (its trailers). */
export interface ReleaseCommit {
  sha: string;
  /** The env and app the commit's `[gimlet] <env>/<app> ...` subject names, if it is a gimlet commit. */
  env?: string;
  app?: string;
  /** Deployments named by id (`Gimlet-Deployment`, commits written before deployments were made after the push). */
  deployments: Array<{ repository: string; id: number }>;
  /** `Gimlet-Repository` + `Gimlet-Ref` (+ `Gimlet-Artifact`): the deployment is found by listing that sha's deployments. */
  release?: { repository: string; ref: string; artifactId?: string };
}

const TRAILER_KEYS = ["Gimlet-Deployment", "Gimlet-Repository", "Gimlet-Ref", "Gimlet-Artifact"] as const;

/** `sha` and up to `max - 1` commits before it, newest first (for settling what Flux applied). [] for an unknown sha. */
export async function readReleaseCommits(cwd: string, sha: string, max: number): Promise<ReleaseCommit[]> {
  if (!/^[0-9a-f]{4,64}$/i.test(sha)) throw ConfigError.at("sha", `${JSON.stringify(sha)} is not a commit sha`);
  const trailerFields = TRAILER_KEYS.map((key) => `%(trailers:key=${key},valueonly,separator=%x1d)`).join("%x1f");
  const format = `%H%x1f${trailerFields}%x1f%s%x1e`;
  let out: string;
  try {
    out = (
      await runGit(cwd, [
        "log",
        "-n",
        String(Math.max(1, Math.floor(max))),
        `--format=${format}`,
        `${sha}^{commit}`,
        "--",
      ])
    ).toString("utf8");
  } catch {
    return [];
  }
  const commits: ReleaseCommit[] = [];
  for (const record of out.split("\x1e")) {
    const [commit, byId = "", repository = "", ref = "", artifactId = "", subject = ""] = record.trim().split("\x1f");
    if (!commit) continue;
    const deployments = byId
      .split("\x1d")
      .map((v) => /^(.+)#(\d+)$/.exec(v.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ repository: m[1] ?? "", id: Number(m[2]) }));
    const first = (values: string) => values.split("\x1d")[0]?.trim() ?? "";
    const release =
      first(repository) && /^[0-9a-f]{7,64}$/i.test(first(ref))
        ? {
            repository: first(repository),
            ref: first(ref),
            ...(first(artifactId) ? { artifactId: first(artifactId) } : {}),
          }
        : undefined;
    const parsed = parseSubject(subject);
    commits.push({
      sha: commit,
      ...(parsed ? { env: parsed.env, app: parsed.app } : {}),
      deployments,
      ...(release && deployments.length === 0 ? { release } : {}),
    });
  }
  return commits;
}
