import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { SimpleGit } from "simple-git";
import { ConfigError, GimletError } from "../errors.js";
import { catFile, type GitIdentity, gitClient, redact, runGit, typedGitError, withoutCredentials } from "./git.js";
import { RELEASE_FILE } from "./layout.js";
import { type CommitSpec, checkIdentity, fastImportStream, parseMarks, parseTree } from "./objects.js";
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

/**
 * The warm clone of one gitops branch: a bare repository with `origin` set, no work tree. Folders are
 * read from git objects (`cat-file --batch`), commits are written by `git fast-import`, so nothing here
 * scales with the number of apps in the repository, and there is no work tree to get dirty.
 *
 * `head` is the commit the next write builds on: the remote tip after a fetch or push, or the newest
 * unpushed commit of the batch being written. A failed push just moves `head` back to the remote tip.
 */
export class WorkClone {
  readonly git: SimpleGit;
  head = "";
  private ready = false;
  private writes = 0;
  /** The URL `origin` is set to (with credentials, when the resolver adds them). */
  private url = "";

  /**
   * @param repo what the caller names the remote by (a URL, a path, or `owner/repo` when `resolveUrl` maps it)
   * @param resolveUrl the URL to fetch and push; asked before every fetch and push, since tokens expire
   */
  constructor(
    readonly dir: string,
    private repo: string,
    readonly branch: string,
    private readonly identity: GitIdentity,
    private readonly resolveUrl: (repo: string) => string | Promise<string> = (repo) => repo,
    /** Per-command environment for talking to the remote (credentials); asked before every fetch and push. */
    private readonly resolveEnv?: (repo: string) => Promise<Record<string, string> | undefined>,
  ) {
    if (!existsSync(dir)) throw new Error(`work clone folder ${dir} must exist`);
    checkIdentity(identity);
    this.git = gitClient(dir, identity);
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

  /** Make the clone usable (reuse one left in the folder, or start one); true when this call synced it. */
  async ensureReady(): Promise<boolean> {
    if (this.ready) return false;
    try {
      const url = await this.remoteUrl();
      const origin = existsSync(join(this.dir, "HEAD")) ? await this.originUrl() : undefined;
      if (origin === undefined || withoutCredentials(origin) !== withoutCredentials(url)) {
        for (const name of ["HEAD", "config", "objects", "refs", "packed-refs", "info", "hooks", "description"]) {
          await rm(join(this.dir, name), { recursive: true, force: true });
        }
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
      throw error instanceof GimletError ? error : typedGitError(error, `preparing a clone of the gitops repository`);
    }
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

  /** A folder's entries at `rev`, with its release.json text (one cat-file process). */
  async readFolder(rev: string, path: string): Promise<FolderSnapshot> {
    if (!rev) return EMPTY_FOLDER;
    const [tree, release] = await catFile(this.dir, [`${rev}:${path}`, `${rev}:${path}/${RELEASE_FILE}`]);
    if (tree?.type !== "tree") return EMPTY_FOLDER;
    const snapshot: FolderSnapshot = { entries: parseTree(tree.data, (this.head.length || 40) / 2) };
    return release?.type === "blob" ? { ...snapshot, release: release.data.toString("utf8") } : snapshot;
  }

  /** A file's text at `rev`, undefined when absent. */
  async readFile(rev: string, path: string): Promise<string | undefined> {
    if (!rev) return undefined;
    const [obj] = await catFile(this.dir, [`${rev}:${path}`]);
    return obj?.type === "blob" ? obj.data.toString("utf8") : undefined;
  }

  /** Several files' texts at `rev` with one cat-file process; undefined for each one absent. */
  async readFiles(rev: string, paths: readonly string[]): Promise<Array<string | undefined>> {
    if (!rev || paths.length === 0) return paths.map(() => undefined);
    const objects = await catFile(
      this.dir,
      paths.map((path) => `${rev}:${path}`),
    );
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
      await runGit(this.dir, ["gc", "--auto", "--quiet"]).catch(() => undefined);
    }
  }
}
