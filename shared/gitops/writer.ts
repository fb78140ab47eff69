import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../errors.js";
import { type Clock, type Logger, silentLogger, systemClock } from "../ports.js";
import { WorkClone } from "./clone.js";
import { DEFAULT_IDENTITY, type GitIdentity, runGit, withoutCredentials } from "./git.js";
import { type HistoryEntry, type ReleaseCommit, readHistory, readReleaseCommits } from "./history.js";
import { appFolder, envFolder, lockPath, releasePath } from "./layout.js";
import { checkIdentity } from "./objects.js";
import {
  type DeployInput,
  deployOp,
  lockOp,
  type RollbackInput,
  removeOp,
  rollbackOp,
  unlockOp,
  type WriteOp,
} from "./ops.js";
import { newOwnerToken } from "./ownership.js";
import { type QueueStats, type WriteOutcome, WriteQueue } from "./queue.js";
import { type EnvLock, parseLock, parseStoredRelease, type ReleaseRecord } from "./release.js";

export interface GitopsTarget {
  /** URL or local path of the remote. */
  repo: string;
  /** Default "main". */
  branch?: string;
  /** The env folder; default the env name, "" = a repository per environment. */
  path?: string;
  /**
   * The app repository the write is for: writes of one source are limited in flight (`maxConcurrentPerSource`) and
   * take turns with other sources' in the queue. Default: the release's repository; none = not limited.
   */
  source?: string;
}

export interface DeployRequest extends GitopsTarget, DeployInput {}

export interface WriterOptions {
  /** Where the warm clones live (one folder per remote and branch); default a temp folder removed by close(). */
  workDir?: string;
  author?: GitIdentity;
  /**
   * Push attempts per batch before giving up with Conflict (default 30: replicas sharing one gitops repository take
   * turns, and a replica re-applying a large batch can lose several races in a row; full-jitter backoff capped at 1 s
   * keeps 30 attempts within seconds, not minutes).
   */
  maxPushAttempts?: number;
  /** Called for every push the remote rejected because the branch moved (for metrics). */
  onPushRejected?: () => void;
  clock?: Clock;
  logger?: Logger;
  /**
   * The URL to fetch and push for a target's `repo` (e.g. `owner/repo` → an https URL with a fresh
   * installation token). Asked before every fetch and push; default: `repo` is the URL or path itself.
   */
  resolveUrl?: (repo: string) => string | Promise<string>;
  /** The environment git needs to reach `repo` (credentials, given per command: never stored, never in argv). */
  resolveEnv?: (repo: string) => Promise<Record<string, string> | undefined>;
  /** Writes of one source (app repository) in flight at once, across gitops repositories; more wait (default 8). */
  maxConcurrentPerSource?: number;
}

const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]{1,200}(?<![/.])$/;

/**
 * Writes releases, rollbacks, deletes and env locks to gitops repositories (DESIGN §7). Each remote
 * branch has one warm clone and one write queue; reads fetch first and take their turn in that queue.
 */
export class GitopsWriter {
  private readonly queues = new Map<string, WriteQueue>();
  /** Reads waiting for their turn in a queue, by queue key: later readers join them and share one sync. */
  private readonly waitingReads = new Map<
    string,
    { paths: Set<string>; texts: Promise<Map<string, string | undefined>> }
  >();
  private readonly workDir: string;
  private readonly ownsWorkDir: boolean;
  private readonly author: GitIdentity;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly maxPushAttempts: number;
  private readonly onPushRejected?: () => void;
  private readonly resolveUrl: ((repo: string) => string | Promise<string>) | undefined;
  private readonly resolveEnv: WriterOptions["resolveEnv"];
  private readonly ownerToken = newOwnerToken();
  private readonly gates = new Map<string, { running: number; waiting: Array<() => void> }>();
  private readonly maxPerSource: number;

  constructor(opts: WriterOptions = {}) {
    this.ownsWorkDir = opts.workDir === undefined;
    this.workDir = opts.workDir ?? mkdtempSync(join(tmpdir(), "gimlet-gitops-"));
    this.author = opts.author ?? DEFAULT_IDENTITY;
    try {
      checkIdentity(this.author);
    } catch (error) {
      throw ConfigError.at("author", (error as Error).message);
    }
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
    this.maxPushAttempts = opts.maxPushAttempts ?? 30;
    this.onPushRejected = opts.onPushRejected;
    this.resolveUrl = opts.resolveUrl;
    this.resolveEnv = opts.resolveEnv;
    this.maxPerSource = Math.max(1, opts.maxConcurrentPerSource ?? 8);
  }

  /** Deploy: replace `<path>/<app>/` with the rendered files and release.json (unpinned). */
  deploy(req: DeployRequest): Promise<WriteOutcome> {
    return this.write(req, () => deployOp(req, this.clock));
  }

  /** Restore the app folder of an earlier deploy as a new, pinned commit (default: the release before the current one). */
  rollback(req: GitopsTarget & RollbackInput): Promise<WriteOutcome & { rolledBackTo: string }> {
    return this.write(req, () => rollbackOp(req, this.clock)) as Promise<WriteOutcome & { rolledBackTo: string }>;
  }

  remove(req: GitopsTarget & { env: string; app: string; reason: string; actor?: string }): Promise<WriteOutcome> {
    return this.write(req, () => removeOp(req, this.clock));
  }

  lock(req: GitopsTarget & { env: string; by: string; reason?: string; source?: string }): Promise<WriteOutcome> {
    return this.write(req, () => lockOp(req, this.clock));
  }

  unlock(req: GitopsTarget & { env: string; by: string }): Promise<WriteOutcome> {
    return this.write(req, () => unlockOp(req, this.clock));
  }

  /**
   * What a policy decision needs from one env, with one fetch: its lock and the current release of each app
   * (to see pins). Cheaper than readLock + readRelease per app, which fetch each.
   */
  async readEnvState(
    t: GitopsTarget & { env: string },
    apps: readonly string[],
  ): Promise<{ lock?: EnvLock; releases: Map<string, ReleaseRecord | undefined> }> {
    checkTarget(t);
    const paths = [lockPath(t), ...apps.map((app) => releasePath(t, app))];
    const byPath = await this.readFresh(t, paths);
    const texts = paths.map((path) => byPath.get(path));
    const releases = new Map<string, ReleaseRecord | undefined>();
    apps.forEach((app, i) => {
      const stored =
        texts[i + 1] === undefined ? undefined : parseStoredRelease(texts[i + 1] as string, { app, env: t.env });
      releases.set(app, stored ? { ...stored, created: stored.created ?? "" } : undefined);
    });
    return { lock: texts[0] === undefined ? undefined : parseLock(texts[0]), releases };
  }

  /**
   * Files at the remote tip, read in the queue's turn. Reads that arrive while one is waiting for its turn join it:
   * a burst of artifacts costs one sync (ls-remote or fetch) instead of one each, and every reader still sees a tip
   * synced after it asked.
   */
  private readFresh(t: GitopsTarget, paths: readonly string[]): Promise<Map<string, string | undefined>> {
    const key = this.keyOf(t);
    const waiting = this.waitingReads.get(key);
    if (waiting) {
      for (const path of paths) waiting.paths.add(path);
      return waiting.texts;
    }
    const wanted = new Set(paths);
    const texts = this.forgetOnFailure(t, (queue) =>
      queue.exclusive(async () => {
        this.waitingReads.delete(key); // from here on, new readers wait for the next turn
        const list = [...wanted];
        const read = await queue.clone.readFiles(await this.freshTip(queue), list);
        return new Map(list.map((path, i) => [path, read[i]]));
      }),
    );
    const entry = { paths: wanted, texts };
    this.waitingReads.set(key, entry);
    // A turn that failed before it began must not hold later readers to its failure.
    texts.catch(() => {
      if (this.waitingReads.get(key) === entry) this.waitingReads.delete(key);
    });
    return texts;
  }

  async readLock(t: GitopsTarget & { env: string }): Promise<EnvLock | undefined> {
    return (await this.readEnvState(t, [])).lock;
  }

  async readRelease(t: GitopsTarget & { env: string; app: string }): Promise<ReleaseRecord | undefined> {
    return (await this.readEnvState(t, [t.app])).releases.get(t.app);
  }

  async history(q: GitopsTarget & { env: string; app?: string; limit?: number }): Promise<HistoryEntry[]> {
    readHistoryArgsCheck(q);
    const { queue, tip } = await this.forgetOnFailure(q, async (queue) => ({
      queue,
      tip: await queue.exclusive(() => this.freshTip(queue)),
    }));
    // The walk reads objects only, so it runs outside the queue's turn.
    return readHistory(queue.clone.dir, tip, q);
  }

  /** `sha` and the commits before it (up to `max`), newest first, with the Deployments their trailers name. */
  async releaseCommits(t: GitopsTarget, sha: string, max = 200): Promise<ReleaseCommit[]> {
    checkTarget(t);
    const queue = await this.forgetOnFailure(t, async (queue) => {
      await queue.exclusive(() => this.freshTip(queue));
      return queue;
    });
    return readReleaseCommits(queue.clone.dir, sha, max);
  }

  /** Is `sha` a commit of the branch (its tip or an ancestor), as the remote has it now? */
  async isOnBranch(t: GitopsTarget, sha: string): Promise<boolean> {
    checkTarget(t);
    if (!/^[0-9a-f]{40,64}$/.test(sha)) return false;
    const queue = this.queueFor(t);
    const tip = await queue.exclusive(() => this.freshTip(queue));
    if (!tip) return false;
    return runGit(queue.clone.dir, ["merge-base", "--is-ancestor", sha, tip]).then(
      () => true,
      () => false,
    );
  }

  /** Counters per remote branch (batches, commits, pushes, rejected pushes). */
  stats(t: GitopsTarget): QueueStats {
    return { ...(this.queues.get(this.keyOf(t))?.stats ?? { batches: 0, commits: 0, pushes: 0, rejectedPushes: 0 }) };
  }

  /** The warm clone's folder for a remote branch (for diagnostics and tests). */
  clonePath(t: GitopsTarget): string {
    return this.queues.get(this.keyOf(t))?.clone.dir ?? join(this.workDir, this.dirNameOf(t));
  }

  /** Wait for queued writes, give the clones up, then drop the temp work folder if the writer made it. */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.idle()));
    await Promise.all([...this.queues.values()].map((q) => q.clone.release()));
    this.queues.clear();
    if (this.ownsWorkDir) rmSync(this.workDir, { recursive: true, force: true });
  }

  private async write(t: GitopsTarget, makeOp: () => WriteOp): Promise<WriteOutcome> {
    checkTarget(t);
    const op = makeOp(); // every name and file check runs here, before any file or git operation
    const source = (t.source ?? sourceOf(t) ?? "").toLowerCase();
    // A write that names no source (the CLI, tests) is not limited: there is nobody else to be fair to.
    if (source === "") return this.forgetOnFailure(t, (queue) => queue.enqueue(op, source));
    await this.enter(source);
    try {
      return await this.forgetOnFailure(t, (queue) => queue.enqueue(op, source));
    } finally {
      this.leave(source);
    }
  }

  /** Wait for a slot of `source` (FIFO): at most `maxConcurrentPerSource` writes of one source in flight. */
  private enter(source: string): Promise<void> {
    let gate = this.gates.get(source);
    if (!gate) {
      gate = { running: 0, waiting: [] };
      this.gates.set(source, gate);
    }
    if (gate.running < this.maxPerSource) {
      gate.running++;
      return Promise.resolve();
    }
    const queued = gate;
    return new Promise((resolve) => queued.waiting.push(resolve));
  }

  private leave(source: string): void {
    const gate = this.gates.get(source);
    if (!gate) return;
    const next = gate.waiting.shift();
    if (next) {
      next(); // the slot passes on
      return;
    }
    gate.running--;
    if (gate.running === 0) this.gates.delete(source);
  }

  /**
   * Run `fn` on the target's queue; when it fails and the clone never became ready (an unknown remote, a bad name),
   * forget the queue, so made-up names leave neither folders nor memory behind.
   */
  private async forgetOnFailure<T>(t: GitopsTarget, fn: (queue: WriteQueue) => Promise<T>): Promise<T> {
    const queue = this.queueFor(t);
    try {
      return await fn(queue);
    } catch (error) {
      const key = this.keyOf(t);
      if (!queue.clone.isReady && this.queues.get(key) === queue && queue.isEmpty) this.queues.delete(key);
      throw error;
    }
  }

  /** Fetch so a read sees the remote tip; the clone is idle here, so later writes build on it too. */
  private async freshTip(queue: WriteQueue): Promise<string> {
    const clone = queue.clone;
    if (!(await clone.ensureReady())) await clone.sync();
    return clone.head;
  }

  private keyOf(t: GitopsTarget): string {
    return `${withoutCredentials(t.repo)}\0${t.branch ?? "main"}`;
  }

  private dirNameOf(t: GitopsTarget): string {
    const base =
      t.repo
        .replace(/\/+$/, "")
        .split(/[/:]/)
        .pop()
        ?.replace(/[^A-Za-z0-9._-]/g, "") || "repo";
    const hash = createHash("sha256").update(this.keyOf(t)).digest("hex").slice(0, 12);
    return `${base.slice(0, 40)}-${hash}`;
  }

  private queueFor(t: GitopsTarget): WriteQueue {
    const key = this.keyOf(t);
    let queue = this.queues.get(key);
    if (!queue) {
      const clone = new WorkClone(
        join(this.workDir, this.dirNameOf(t)),
        t.repo,
        t.branch ?? "main",
        this.author,
        this.resolveUrl,
        { logger: this.logger, ownerToken: this.ownerToken, resolveEnv: this.resolveEnv },
      );
      queue = new WriteQueue(clone, {
        maxPushAttempts: this.maxPushAttempts,
        logger: this.logger,
        onPushRejected: this.onPushRejected,
      });
      this.queues.set(key, queue);
    }
    queue.clone.setRepo(t.repo);
    return queue;
  }
}

/** The app repository a write is for, when the request says (a deploy's release names it). */
function sourceOf(t: GitopsTarget): string | undefined {
  const named = t as { release?: { deployment?: { repository?: unknown } } };
  const repository = named.release?.deployment?.repository;
  return typeof repository === "string" && repository ? repository : undefined;
}

function checkTarget(t: GitopsTarget): void {
  if (typeof t.repo !== "string" || t.repo.trim() === "" || t.repo.startsWith("-"))
    throw ConfigError.at("repo", "must be a repository URL or path");
  if (t.branch !== undefined && !BRANCH.test(t.branch))
    throw ConfigError.at("branch", `${JSON.stringify(t.branch)} is not a valid branch name`);
}

function readHistoryArgsCheck(q: GitopsTarget & { env: string; app?: string; limit?: number }): void {
  checkTarget(q);
  if (q.app !== undefined) appFolder(q, q.app);
  else envFolder(q);
  if (q.limit !== undefined && !(Number.isInteger(q.limit) && q.limit >= 0))
    throw ConfigError.at("limit", "must be a non-negative integer");
}
