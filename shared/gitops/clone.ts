import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { SimpleGit } from "simple-git";
import { ConfigError, GimletError, Transient } from "../errors.js";
import { type Logger, silentLogger } from "../ports.js";
import {
  catFile,
  type GitIdentity,
  type GitObject,
  gitClient,
  redact,
  runGit,
  typedGitError,
  withoutCredentials,
} from "./git.js";
import { RELEASE_FILE } from "./layout.js";
import { type CommitSpec, checkIdentity, fastImportStream, parseMarks, parseTree } from "./objects.js";
import { claimClone, clearLockFiles, newOwnerToken, OWNER_FILE, releaseClone, stillOwned } from "./ownership.js";
import { EMPTY_FOLDER, type FolderSnapshot } from "./plan.js";

// fast-import keeps its objects as one small pack (no exploding into loose objects, light compression);
// `git gc --auto` folds the packs together every MAINTENANCE_EVERY batches.
const FAST_IMPORT = [
  "-c",
  "fastimport.unpackLimit=0",
  "-c",
  "pack.compression=1",
  "fast-import",
  "--quiet",
  "--force",
  "--done",
];
const MAINTENANCE_EVERY = 25;
/** Clones of one remote branch side by side when live writers share a work dir (`<dir>`, `<dir>.alt-1`, ...). */
const MAX_CLONES = 8;

export interface CloneOptions {
  logger?: Logger;
  /** Names this writer in the clone's owner file (crash recovery); default a fresh random token. */
  ownerToken?: string;
  /** Per-command environment for talking to the remote (credentials); asked before every fetch and push. */
  resolveEnv?: (repo: string) => Promise<Record<string, string> | undefined>;
}

/**
 * The warm clone of one gitops branch: a bare repository with `origin` set, no work tree. Folders are
 * read from git objects (`cat-file --batch`), commits are written by `git fast-import`, so nothing here
 * scales with the number of apps in the repository, and there is no work tree to get dirty.
 *
 * `head` is the commit the next write builds on: the remote tip after a fetch or push, or the newest
 * unpushed commit of the batch being written. A failed push just moves `head` back to the remote tip.
 */
export class WorkClone {
  head = "";
  private ready = false;
  private writes = 0;
  /** The URL `origin` is set to (with credentials, when the resolver adds them). */
  private url = "";
  private folder: string;
  private client: SimpleGit | undefined;
  private readonly logger: Logger;
  private readonly token: string;
  private readonly resolveEnv: CloneOptions["resolveEnv"];
  /** Objects read for the batch being planned, by `<rev>:<path>` (commits are immutable, so entries never go stale). */
  private objectCache: Map<string, GitObject | undefined> | undefined;

  /**
   * @param baseDir the clone's folder; made only once the remote's URL resolves (a name that resolves to nothing
   *   leaves nothing on disk). When another live writer owns it, this writer uses `<baseDir>.alt-<n>` instead.
   * @param repo what the caller names the remote by (a URL, a path, or `owner/repo` when `resolveUrl` maps it)
   * @param resolveUrl the URL to fetch and push; asked before every fetch and push, since tokens expire
   */
  constructor(
    private readonly baseDir: string,
    private repo: string,
    readonly branch: string,
    private readonly identity: GitIdentity,
    private readonly resolveUrl: (repo: string) => string | Promise<string> = (repo) => repo,
    options: CloneOptions = {},
  ) {
    checkIdentity(identity);
    this.folder = baseDir;
    this.logger = options.logger ?? silentLogger;
    this.token = options.ownerToken ?? newOwnerToken();
    this.resolveEnv = options.resolveEnv;
  }

  /** The folder in use (the base folder, or an alternate one when another live writer owns it). */
  get dir(): string {
    return this.folder;
  }

  get git(): SimpleGit {
    this.client ??= gitClient(this.folder, this.identity);
    return this.client;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** The caller may name the same remote with other credentials (installation tokens expire hourly). */
  setRepo(repo: string): void {
    this.repo = repo;
  }

  private async remoteUrl(): Promise<string> {
    const url = await this.resolveUrl(this.repo);
    if (typeof url !== "string" || url.trim() === "" || url.startsWith("-"))
      throw ConfigError.at("repo", `no usable URL for ${redact(this.repo)}`);
    return url;
  }

  /**
   * Point `origin` at the current URL before talking to the remote, and return the environment (credentials) for
   * that one command. A URL left with credentials by an older version is replaced by the resolver's.
   */
  private async refreshOrigin(): Promise<Record<string, string> | undefined> {
    const url = await this.remoteUrl();
    if (url !== this.url) {
      await runGit(this.dir, ["remote", "set-url", "origin", url]);
      this.url = url;
    }
    return this.resolveEnv?.(this.repo);
  }

  private get trackingRef(): string {
    return `refs/remotes/origin/${this.branch}`;
  }

  /**
   * Make the clone usable (reuse one left in the folder, or start one); true when this call synced it. Runs in the
   * queue's turn, so it is also where a crash is recovered from: stale lock files are cleared (see ownership.ts).
   */
  async ensureReady(): Promise<boolean> {
    if (this.ready) {
      if (await this.recover()) return false;
      this.ready = false; // another writer took the folder over: claim one again
    }
    let created = false;
    try {
      const url = await this.remoteUrl();
      created = await this.claim();
      await this.clearLocks();
      const origin = existsSync(join(this.dir, "HEAD")) ? await this.originUrl() : undefined;
      if (origin === undefined || withoutCredentials(origin) !== withoutCredentials(url)) {
        await this.emptyFolder();
        await this.git.raw(["init", "--bare", `--initial-branch=${this.branch}`]);
        await runGit(this.dir, ["remote", "add", "origin", url]);
        this.url = url;
      } else {
        this.url = origin;
      }
      await this.sync();
      this.ready = true;
      return true;
    } catch (error) {
      // A clone that never worked (no such remote, a bad name) leaves no folder behind.
      if (created) {
        await releaseClone(this.dir, this.token).catch(() => undefined);
        await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
      }
      throw error instanceof GimletError ? error : typedGitError(error, `preparing a clone of the gitops repository`);
    }
  }

  /** Own a folder: the base one, or the first alternate no live writer owns. True when this call created it. */
  private async claim(): Promise<boolean> {
    for (let n = 0; n < MAX_CLONES; n++) {
      const dir = n === 0 ? this.baseDir : `${this.baseDir}.alt-${n}`;
      const existed = existsSync(dir);
      await mkdir(dir, { recursive: true });
      if (await claimClone(dir, this.token)) {
        if (dir !== this.folder) {
          this.folder = dir;
          this.client = undefined;
        }
        if (n > 0) this.logger.warn({ dir }, "another live writer owns the warm clone; using a clone of our own");
        return !existed;
      }
    }
    throw new Transient(`every warm clone of ${redact(this.repo)} (${MAX_CLONES}) is in use by another live process`);
  }

  /** In our turn on a clone we own: still ours (heartbeat), and no lock file a dead process left. */
  private async recover(): Promise<boolean> {
    if (!(await stillOwned(this.dir, this.token))) return false;
    await this.clearLocks();
    return true;
  }

  private async clearLocks(): Promise<void> {
    const removed = await clearLockFiles(this.dir);
    if (removed.length) this.logger.warn({ dir: this.dir, removed }, "cleared lock files a dead git process left");
  }

  private async emptyFolder(): Promise<void> {
    for (const name of await readdir(this.dir)) {
      if (name !== OWNER_FILE) await rm(join(this.dir, name), { recursive: true, force: true });
    }
  }

  /**
   * Throw the clone away after a local failure it may not recover from (a lock that came back, a damaged object):
   * the next turn re-creates it from the remote. Unpushed commits are lost, which is fine: they were never
   * acknowledged, and the writes of the failed batch are reported as failed.
   */
  async discard(): Promise<void> {
    this.ready = false;
    this.url = "";
    this.head = "";
    if (await stillOwned(this.dir, this.token)) await this.emptyFolder();
  }

  /** Give the folder up (the writer is closing). */
  async release(): Promise<void> {
    await releaseClone(this.dir, this.token).catch(() => undefined);
  }

  private async originUrl(): Promise<string | undefined> {
    try {
      return (await runGit(this.dir, ["config", "--get", "remote.origin.url"])).toString("utf8").trim();
    } catch {
      return undefined;
    }
  }

  /** Fetch the branch; returns the remote tip, or "" when the branch doesn't exist there yet. */
  async fetch(): Promise<string> {
    try {
      const env = await this.refreshOrigin();
      await runGit(
        this.dir,
        ["fetch", "--quiet", "--no-tags", "origin", `+refs/heads/${this.branch}:${this.trackingRef}`],
        undefined,
        env,
      );
    } catch (error) {
      if (error instanceof GimletError) throw error;
      if (/couldn't find remote ref/i.test(String(error))) return "";
      throw typedGitError(error, `fetching ${this.branch}`);
    }
    return this.readRef(this.trackingRef);
  }

  /** Fetch and build on the remote tip from now on (dropping unpushed commits); returns the tip. */
  async sync(): Promise<string> {
    this.head = (await this.tipIfCurrent()) ?? (await this.fetch());
    return this.head;
  }

  /**
   * The remote tip when the clone already has it (ls-remote: one short round trip, about a third of a fetch here),
   * so a read right after our own push or an idle period costs no fetch. Undefined when a fetch is needed.
   */
  private async tipIfCurrent(): Promise<string | undefined> {
    try {
      const env = await this.refreshOrigin();
      const out = (
        await runGit(this.dir, ["ls-remote", "origin", `refs/heads/${this.branch}`], undefined, env)
      ).toString("utf8");
      const remote = out.split(/\s+/)[0] ?? "";
      if (!/^[0-9a-f]{40,64}$/.test(remote)) return undefined;
      return remote === (await this.readRef(this.trackingRef)) ? remote : undefined;
    } catch {
      return undefined;
    }
  }

  /** Back to the last known remote tip without asking the remote (after a failure). */
  async resetToTracking(): Promise<void> {
    this.head = await this.readRef(this.trackingRef);
  }

  async readRef(ref: string): Promise<string> {
    try {
      const sha = (await readFile(join(this.dir, ref), "utf8")).trim();
      if (/^[0-9a-f]{40,64}$/.test(sha)) return sha;
    } catch {
      // packed or missing: ask git
    }
    try {
      return (await runGit(this.dir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).toString("utf8").trim();
    } catch {
      return "";
    }
  }

  /**
   * Read the folders and files a batch's writes will plan against with ONE cat-file process, so planning a batch
   * costs one process, not one or two per write (a burst of releases then takes little time per write, and the
   * writes queued behind it wait less). Reads outside these paths, or at another rev, still go to git.
   */
  async prefetch(rev: string, paths: readonly string[]): Promise<void> {
    if (!rev) return;
    const names = [...new Set(paths.flatMap((p) => [`${rev}:${p}`, `${rev}:${p}/${RELEASE_FILE}`]))];
    const objects = await catFile(this.dir, names);
    this.objectCache = new Map(names.map((name, i) => [name, objects[i]]));
  }

  /** The batch is planned: drop what `prefetch` read. */
  endPrefetch(): void {
    this.objectCache = undefined;
  }

  private async objects(names: string[]): Promise<Array<GitObject | undefined>> {
    const cache = this.objectCache;
    if (!cache) return catFile(this.dir, names);
    const missing = names.filter((n) => !cache.has(n));
    if (missing.length) {
      const read = await catFile(this.dir, missing);
      missing.forEach((name, i) => {
        cache.set(name, read[i]);
      });
    }
    return names.map((name) => cache.get(name));
  }

  /** A folder's entries at `rev`, with its release.json text (one cat-file process). */
  async readFolder(rev: string, path: string): Promise<FolderSnapshot> {
    if (!rev) return EMPTY_FOLDER;
    const [tree, release] = await this.objects([`${rev}:${path}`, `${rev}:${path}/${RELEASE_FILE}`]);
    if (tree?.type !== "tree") return EMPTY_FOLDER;
    const snapshot: FolderSnapshot = { entries: parseTree(tree.data, (this.head.length || 40) / 2) };
    return release?.type === "blob" ? { ...snapshot, release: release.data.toString("utf8") } : snapshot;
  }

  /** A file's text at `rev`, undefined when absent. */
  async readFile(rev: string, path: string): Promise<string | undefined> {
    if (!rev) return undefined;
    const [obj] = await this.objects([`${rev}:${path}`]);
    return obj?.type === "blob" ? obj.data.toString("utf8") : undefined;
  }

  /** Several files' texts at `rev` with one cat-file process; undefined for each one absent. */
  async readFiles(rev: string, paths: readonly string[]): Promise<Array<string | undefined>> {
    if (!rev || paths.length === 0) return paths.map(() => undefined);
    const objects = await this.objects(paths.map((path) => `${rev}:${path}`));
    return objects.map((obj) => (obj?.type === "blob" ? obj.data.toString("utf8") : undefined));
  }

  /** Write `commits` on top of `head` with one fast-import process; returns their ids and moves `head`. */
  async writeCommits(commits: CommitSpec[], when: Date): Promise<string[]> {
    if (commits.length === 0) return [];
    const marksFile = join(this.dir, "gimlet-marks");
    const stream = fastImportStream("refs/gimlet/work", this.head, this.identity, commits, when);
    await runGit(this.dir, [...FAST_IMPORT, `--export-marks=${marksFile}`], stream);
    const marks = parseMarks(await readFile(marksFile, "utf8"));
    const shas = commits.map((_, i) => marks.get(i + 1) ?? "");
    const last = shas.at(-1);
    if (!last || shas.some((s) => !s)) throw new Error("git fast-import did not report every commit");
    this.head = last;
    return shas;
  }

  /** Push `head` to the branch. A rejection (the branch moved) throws; the caller syncs and re-applies. */
  async push(): Promise<void> {
    const env = await this.refreshOrigin();
    await runGit(
      this.dir,
      ["push", "--quiet", "--no-verify", "origin", `${this.head}:refs/heads/${this.branch}`],
      undefined,
      env,
    );
    if (++this.writes % MAINTENANCE_EVERY === 0) {
      // Not detached: a gc running in the background would hold locks while the next write starts.
      await runGit(this.dir, ["-c", "gc.autoDetach=false", "gc", "--auto", "--quiet"]).catch(() => undefined);
    }
  }
}
