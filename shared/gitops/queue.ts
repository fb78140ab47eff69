import { Conflict, GimletError } from "../errors.js";
import type { OutcomeOf, ReasonCode } from "../outcomes.js";
import type { Logger } from "../ports.js";
import type { WorkClone } from "./clone.js";
import { isPushRejected, typedGitError } from "./git.js";
import type { CommitSpec } from "./objects.js";
import type { WriteOp } from "./ops.js";
import { pathsOverlap } from "./plan.js";

export interface WriteOutcome {
  /** In the one outcome vocabulary (shared/outcomes.ts). */
  decision: OutcomeOf<"committed" | "unchanged">;
  reasonCode: ReasonCode;
  /** The commit holding the change, or the branch head the write was compared with when unchanged. */
  gitopsSha: string;
  env: string;
  app: string;
  message?: string;
  /** How many writes went out in the same push, and how many push attempts that took. */
  batchSize: number;
  pushAttempts: number;
}

export interface QueueStats {
  batches: number;
  commits: number;
  pushes: number;
  rejectedPushes: number;
}

interface Pending {
  op: WriteOp;
  /** The app repository it is for: batches take turns between sources. */
  source: string;
  resolve(outcome: WriteOutcome): void;
  reject(error: unknown): void;
}

type Result =
  | { kind: "committed"; sha: string; message: string }
  | { kind: "unchanged"; sha: string; after?: number }
  | { kind: "failed"; error: unknown };

const MAX_BATCH = 100;

/**
 * Failures of the local clone itself, not of the remote: a lock file that came back, a damaged object or ref. The
 * clone is thrown away and re-created from the remote on the next turn.
 */
const LOCAL_DAMAGE =
  /Unable to create '[^']*\.lock'|\.lock': File exists|cannot lock ref|corrupt|bad object|not a valid object|unable to (read|resolve|write)|fast-import did not report/i;

/** The error is damage to the local clone (see LOCAL_DAMAGE). */
export function isLocalDamage(error: unknown): boolean {
  return LOCAL_DAMAGE.test(error instanceof Error ? error.message : String(error));
}

/**
 * The next batch: the oldest pending write and the ones right after it from the same source, up to `max`. A batch is
 * cut where the source changes, so arrival order is kept exactly (a lock queued before a policy deploy still lands
 * first) and a batch never mixes one repository's burst with another's write: with the writer's per-source limit
 * (`maxConcurrentPerSource`) a burst has only a few writes queued at a time, and another source's write, queued
 * behind them, goes out alone in the batch after the one being pushed.
 */
export function takeBatch<T extends { source: string }>(pending: T[], max: number): T[] {
  const first = pending[0];
  if (!first) return [];
  let end = 1;
  while (end < pending.length && end < max && pending[end]?.source === first.source) end++;
  return pending.splice(0, end);
}

/**
 * The write queue of one gitops branch. Writes that arrive while a batch is being pushed wait and go out
 * together: one commit each, one push for all. A rejected push (the branch moved) refetches, resets the
 * clone to the new tip and re-applies every write of the batch there (never rebasing stale commits),
 * with bounded exponential backoff and jitter. Nothing is lost; nothing lands twice, because a write is
 * re-planned against the new tip and a write already there plans as unchanged.
 */
export class WriteQueue {
  readonly stats: QueueStats = { batches: 0, commits: 0, pushes: 0, rejectedPushes: 0 };
  private pending: Pending[] = [];
  private scheduled = false;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly clone: WorkClone,
    private readonly opts: {
      maxPushAttempts: number;
      logger: Logger;
      baseDelayMs?: number;
      maxDelayMs?: number;
      onPushRejected?: () => void;
    },
  ) {}

  /** Run `fn` alone on the clone (batches and reads take turns). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  enqueue(op: WriteOp, source = ""): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ op, source, resolve, reject });
      this.schedule();
    });
  }

  /** No write waiting (one may still be running). */
  get isEmpty(): boolean {
    return this.pending.length === 0;
  }

  /** Resolves once every write queued so far is done. */
  idle(): Promise<void> {
    return this.exclusive(async () => undefined).then(() => (this.pending.length > 0 ? this.idle() : undefined));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    void this.exclusive(async () => {
      this.scheduled = false;
      const batch = takeBatch(this.pending, MAX_BATCH);
      if (this.pending.length > 0) this.schedule();
      if (batch.length === 0) return;
      try {
        await this.runBatch(batch);
      } catch (error) {
        // Never build on commits of a failed batch: its writes are reported as failed.
        await this.clone.resetToTracking().catch(() => undefined);
        if (isLocalDamage(error)) {
          this.opts.logger.warn({ err: error, dir: this.clone.dir }, "the warm clone is damaged; re-creating it");
          await this.clone.discard().catch(() => undefined);
        }
        // Settled promises ignore a second reject, so this only reaches writes still waiting.
        for (const p of batch) p.reject(error instanceof GimletError ? error : typedGitError(error, "gitops write"));
      }
    });
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    this.stats.batches++;
    const clone = this.clone;
    try {
      await clone.ensureReady();
    } catch (error) {
      if (isLocalDamage(error)) await clone.discard().catch(() => undefined);
      for (const p of batch) p.reject(error);
      return;
    }
    const max = Math.max(1, this.opts.maxPushAttempts);
    for (let attempt = 1; ; attempt++) {
      const base = clone.head;
      const results = await this.applyAll(batch);
      const committed = results.filter((r) => r.kind === "committed").length;
      try {
        if (committed > 0) {
          await clone.push();
          this.stats.pushes++;
          this.stats.commits += committed;
        } else {
          // Nothing to push: the verdicts hold only if `base` is still the remote tip. Check it.
          const tip = await clone.sync();
          if (tip !== base) {
            if (attempt < max) continue;
            throw new Conflict(`${clone.branch} kept moving while ${batch.length} write(s) were checked`);
          }
        }
        this.settle(batch, results, attempt);
        return;
      } catch (error) {
        const rejected = isPushRejected(error);
        if (rejected) {
          this.stats.rejectedPushes++;
          this.opts.onPushRejected?.();
        }
        if (rejected && attempt < max) {
          this.opts.logger.debug(
            { branch: clone.branch, attempt, batch: batch.length },
            "gitops push rejected, re-applying on the new tip",
          );
          await this.backoff(attempt);
          await clone.sync();
          continue;
        }
        const failure: Error = rejected
          ? new Conflict(`push to ${clone.branch} was rejected ${attempt} times: the branch keeps moving`)
          : error instanceof GimletError
            ? error
            : typedGitError(error, "push");
        await clone.resetToTracking();
        batch.forEach((p, i) => {
          const r = results[i];
          p.reject(r?.kind === "failed" ? r.error : failure);
        });
        return;
      }
    }
  }

  /**
   * Plan every write of the batch in order, each on the commit left by the ones before, and write the
   * commits with as few fast-import runs as possible: a run is cut only before a write that must read
   * an earlier write of this batch (same paths, or a rollback reading the history). A write that fails
   * is left out of the batch.
   */
  private async applyAll(batch: Pending[]): Promise<Result[]> {
    const clone = this.clone;
    const results: Result[] = [];
    let run: Array<{ index: number; spec: CommitSpec }> = [];
    let runPaths: string[] = [];
    const flush = async (): Promise<void> => {
      if (run.length === 0) return;
      const shas = await clone.writeCommits(
        run.map((r) => r.spec),
        new Date(),
      );
      const shaOf = new Map(run.map((r, k) => [r.index, shas[k]]));
      results.forEach((r, i) => {
        if (r.kind === "committed" && r.sha === "") r.sha = shaOf.get(i) ?? "";
        // An unchanged verdict taken after a commit of this run names that commit as the current head.
        const headAfter = r.kind === "unchanged" && r.after !== undefined ? shaOf.get(r.after) : undefined;
        if (r.kind === "unchanged" && headAfter !== undefined) r.sha = headAfter;
      });
      run = [];
      runPaths = [];
    };
    // One cat-file for every folder the batch plans against (the head moves only when a run is cut; reads at the new
    // head go to git as before).
    await clone.prefetch(
      clone.head,
      batch.flatMap((p) => p.op.paths),
    );
    try {
      for (const [index, { op }] of batch.entries()) {
        if (op.readsHistory || op.paths.some((p) => runPaths.some((q) => pathsOverlap(p, q)))) await flush();
        try {
          // Planned on the head before the pending run: the run touches none of this write's paths.
          const spec = await op.apply(clone, clone.head);
          if (!spec) {
            results.push({ kind: "unchanged", sha: clone.head, after: run.at(-1)?.index });
            continue;
          }
          results.push({ kind: "committed", sha: "", message: spec.message.split("\n")[0] ?? "" });
          run.push({ index, spec });
          runPaths.push(...op.paths);
        } catch (error) {
          results.push({ kind: "failed", error });
        }
      }
    } finally {
      clone.endPrefetch();
    }
    await flush();
    return results;
  }

  private settle(batch: Pending[], results: Result[], attempts: number): void {
    const size = results.filter((r) => r.kind === "committed").length;
    for (const [i, p] of batch.entries()) {
      const r = results[i];
      if (!r) {
        p.reject(new Error("a write of the batch has no result"));
        continue;
      }
      if (r.kind === "failed") {
        p.reject(r.error);
        continue;
      }
      const changed = r.kind === "committed";
      p.resolve({
        decision: changed ? "committed" : "unchanged",
        reasonCode: p.op.reasonCode(changed),
        gitopsSha: r.sha,
        env: p.op.env,
        app: p.op.app,
        ...(changed ? { message: r.message } : {}),
        batchSize: size,
        pushAttempts: changed ? attempts : 0,
        ...p.op.extra(),
      });
    }
  }

  private backoff(attempt: number): Promise<void> {
    const base = this.opts.baseDelayMs ?? 20;
    const cap = this.opts.maxDelayMs ?? 1000;
    const ms = Math.random() * Math.min(cap, base * 2 ** (attempt - 1));
    return new Promise((r) => setTimeout(r, ms));
  }
}
