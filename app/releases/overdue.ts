import type { ReasonCodeOf } from "../../shared/outcomes.js";
import type { Deployment, DeploymentStatus, DeploymentStatusInput, RepositoryName } from "../../shared/ports.js";
import type { ReleaseDeps } from "./deps.js";
import { reportStatus } from "./release.js";
import { appliedInProgress, gitopsShaOf, successMeansOf } from "./tracking.js";
import { leaderOf, mirrorLeader } from "./unchanged.js";

/** Where the sweep finds releases: GitHub (installations → repositories → deployments) or local mode's files. */
export interface SweepSource {
  repositories(): Promise<RepositoryName[]>;
  /** Deployments of the repository created at or after `since`, newest first. */
  recentDeployments(repository: RepositoryName, since: Date): Promise<Deployment[]>;
  /** Statuses of a deployment, newest first, as GitHub has them now (no stale cache). */
  statuses(repository: RepositoryName, deploymentId: number): Promise<DeploymentStatus[]>;
  /** Take the right to settle this deployment, atomically across replicas; false when another replica has it. */
  claim(deployment: Deployment): Promise<boolean>;
  unclaim(deployment: Deployment): Promise<void>;
}

export interface OverdueOptions {
  /** How long a release may go unconfirmed (default 10 minutes). */
  timeoutMs: number;
  /** How far back past the deadline to look: older unconfirmed releases are left alone (default 24 hours). */
  lookbackMs: number;
  /**
   * At most this many repositories per sweep, taking turns across sweeps (default 200), so a large installation costs
   * a bounded number of requests a minute; each repository is then looked at every ceil(repositories / cap) sweeps.
   */
  maxRepositories?: number;
}

export const DEFAULT_RELEASE_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_LOOKBACK_MS = 24 * 60 * 60_000;
export const DEFAULT_MAX_REPOSITORIES = 200;

/** Reason codes of a release that ended `error` because nobody confirmed it. */
export type OverdueReason = ReasonCodeOf<
  "release_not_committed" | "release_not_applied" | "rollout_not_reported" | "unchanged_not_confirmed"
>;

export type OverdueVerdict =
  | { action: "none" }
  | { action: "follow"; leader: { repository: string; id: number } }
  | { action: "error"; reasonCode: OverdueReason; description: string };

const FINAL = new Set(["success", "failure", "error", "inactive"]);

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s % 3600 === 0 && s >= 3600) return `${s / 3600}h`;
  if (s % 60 === 0 && s >= 60) return `${s / 60}m`;
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

/**
 * What the sweep does with one release (pure): nothing while it is final or young; follow the earlier release an
 * unchanged re-deploy waits on; past the deadline, `error` naming what never came: the gitops commit, Flux's
 * "applied", or (with agent health required) the agent's rollout report.
 */
export function overdueVerdict(
  deployment: Deployment,
  statuses: readonly DeploymentStatus[],
  now: Date,
  timeoutMs: number,
): OverdueVerdict {
  const latest = statuses[0];
  if (latest && FINAL.has(latest.state)) return { action: "none" };
  const leader = leaderOf(deployment, latest);
  const overdue = now.getTime() - Date.parse(deployment.createdAt) >= timeoutMs;
  if (!overdue) return leader ? { action: "follow", leader } : { action: "none" };
  const within = `within ${formatDuration(timeoutMs)}`;
  if (leader) {
    return {
      action: "error",
      reasonCode: "unchanged_not_confirmed",
      description: `Not confirmed ${within}: release ${leader.repository}#${leader.id} with the same content was never confirmed`,
    };
  }
  if (!latest || latest.state === "queued") {
    return {
      action: "error",
      reasonCode: "release_not_committed",
      description: `Not confirmed ${within}: no gitops commit was pushed for this release`,
    };
  }
  const sha = gitopsShaOf(statuses)?.slice(0, 7) ?? "its commit";
  if (appliedInProgress(statuses)) {
    return {
      action: "error",
      reasonCode: "rollout_not_reported",
      description: `Flux applied ${sha}, but the cluster agent reported no rollout ${within}: is gimlet-flux-agent running there?`,
    };
  }
  return {
    action: "error",
    reasonCode: "release_not_applied",
    description: `Not confirmed ${within}: Flux never reported applying ${sha}; check its Provider and Alert for Gimlet`,
  };
}

/**
 * Whether tracking may call the release finished. A failure is not final before the deadline: Flux retries and a
 * crash-looping pod can recover, so a later success still ends the release healthy.
 */
export function releaseFinal(
  deployment: Pick<Deployment, "createdAt">,
  statuses: readonly DeploymentStatus[],
  now: Date,
  timeoutMs: number,
): boolean {
  const latest = statuses[0];
  if (!latest || !FINAL.has(latest.state)) return false;
  if (latest.state !== "failure") return true;
  return now.getTime() - Date.parse(deployment.createdAt) >= timeoutMs;
}

export interface SweepOutcome {
  repository: string;
  deploymentId: number;
  state: DeploymentStatusInput["state"];
  reasonCode: OverdueReason | "unchanged_confirmed";
  description: string;
}

/**
 * One sweep: every release created within the lookback window that is not final gets its verdict; each action runs
 * under a claim (so two replicas sweeping at once post once) and re-reads the statuses after claiming.
 */
export async function sweepOverdue(
  deps: ReleaseDeps,
  source: SweepSource,
  options: OverdueOptions,
  turn = 0,
): Promise<SweepOutcome[]> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - options.timeoutMs - options.lookbackMs);
  const outcomes: SweepOutcome[] = [];
  const repositories = takeTurn(await source.repositories(), options.maxRepositories ?? DEFAULT_MAX_REPOSITORIES, turn);
  for (const repository of repositories) {
    let deployments: Deployment[];
    try {
      deployments = await source.recentDeployments(repository, since);
    } catch (error) {
      deps.log.warn({ err: error, repository }, "sweep: could not list deployments");
      continue;
    }
    for (const deployment of deployments) {
      try {
        const outcome = await settleOne(deps, source, deployment, now, options);
        if (outcome) outcomes.push(outcome);
      } catch (error) {
        deps.log.warn({ err: error, repository, deployment: deployment.id }, "sweep: could not settle a release");
      }
    }
  }
  if (outcomes.length) deps.log.info({ settled: outcomes.length }, "overdue releases settled");
  return outcomes;
}

/** The `turn`-th slice of at most `cap` repositories, wrapping around. */
export function takeTurn<T>(items: readonly T[], cap: number, turn: number): T[] {
  if (items.length <= cap) return [...items];
  const start = (turn * cap) % items.length;
  const slice = items.slice(start, start + cap);
  return slice.length < cap ? [...slice, ...items.slice(0, cap - slice.length)] : slice;
}

async function planFor(
  source: SweepSource,
  deployment: Deployment,
  statuses: DeploymentStatus[],
  now: Date,
  options: OverdueOptions,
): Promise<Omit<SweepOutcome, "repository" | "deploymentId"> | undefined> {
  const verdict = overdueVerdict(deployment, statuses, now, options.timeoutMs);
  if (verdict.action === "none") return undefined;
  if (verdict.action === "error")
    return { state: "error", reasonCode: verdict.reasonCode, description: verdict.description };
  const mirrored = mirrorLeader(
    verdict.leader,
    await source.statuses(verdict.leader.repository, verdict.leader.id),
    gitopsShaOf(statuses) ?? "",
    // the leader was made by this server's setting too: what its success meant is what the follower's means
    successMeansOf(deployment.payload),
  );
  return mirrored?.description
    ? { state: mirrored.state, reasonCode: "unchanged_confirmed", description: mirrored.description }
    : undefined;
}

async function settleOne(
  deps: ReleaseDeps,
  source: SweepSource,
  deployment: Deployment,
  now: Date,
  options: OverdueOptions,
): Promise<SweepOutcome | undefined> {
  // Cheap first look; most releases are final or young and cost one read.
  if (!(await planFor(source, deployment, await source.statuses(deployment.repository, deployment.id), now, options)))
    return undefined;
  if (!(await source.claim(deployment))) return undefined;
  try {
    // Another replica may have settled it (or Flux may have) between the first look and the claim.
    const statuses = await source.statuses(deployment.repository, deployment.id);
    const plan = await planFor(source, deployment, statuses, now, options);
    if (!plan) return undefined;
    const previous = statuses.find((s) => s.logUrl || s.environmentUrl);
    await reportStatus(deps, deployment.repository, deployment.id, {
      state: plan.state,
      description: plan.description,
      logUrl: previous?.logUrl,
      environmentUrl: previous?.environmentUrl,
    });
    deps.log.info(
      { repository: deployment.repository, deployment: deployment.id, state: plan.state, reasonCode: plan.reasonCode },
      "release settled by the sweep",
    );
    return { repository: deployment.repository, deploymentId: deployment.id, ...plan };
  } finally {
    await source
      .unclaim(deployment)
      .catch((error) => deps.log.warn({ err: error }, "sweep: could not release a claim"));
  }
}

/** The sweep on a timer, once at start; `stop()` waits for a sweep in flight. */
export class OverdueSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private turn = 0;

  constructor(
    private readonly deps: ReleaseDeps,
    private readonly source: SweepSource,
    private readonly options: OverdueOptions & { intervalMs: number },
  ) {}

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Run one sweep now (after the one in flight). */
  sweep(): Promise<SweepOutcome[]> {
    const turn = this.turn++;
    const next = this.running.then(() => sweepOverdue(this.deps, this.source, this.options, turn));
    this.running = next.catch(() => undefined);
    return next;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    this.sweep().catch((error) => this.deps.log.warn({ err: error }, "sweep failed"));
  }
}
