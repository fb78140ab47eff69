import type { Clock, Logger } from "../../shared/ports.js";
import { decideRollout, type LogTarget, type RolloutDecision } from "./decide.js";
import { Informer } from "./informer.js";
import type { KubeApi } from "./kube.js";
import type { AgentEvent } from "./post.js";
import { type WatchedResource, watchedResources } from "./resources.js";
import { ClusterStore } from "./store.js";

export interface AgentDeps {
  api: KubeApi;
  /** Where decided rollouts go (the EventPoster in production). */
  send(event: AgentEvent): void;
  clock: Clock;
  log: Logger;
  sleep: (ms: number) => Promise<void>;
  settleMs: number;
  logLines: number;
  retryInitialMs: number;
  retryMaxMs: number;
  watchTimeoutSeconds: number;
  resources?: readonly WatchedResource[];
}

const MESSAGE_LIMIT = 4000;

/** What was last sent for an app: sending again only when the revision, the outcome or the failure changes. */
function signature(decision: RolloutDecision & { kind: "healthy" | "failed" }): string {
  return decision.kind === "healthy"
    ? `${decision.gitopsRevision} healthy`
    : `${decision.gitopsRevision} failed ${decision.reason}`;
}

/**
 * The agent: list and watch Kustomizations, Deployments, ReplicaSets and Pods into compact snapshots; after each
 * change (settled for `settleMs`) decide the touched apps' rollouts and send those that completed or failed. A fresh
 * list (start, 410 Gone, reconnect) forgets what was sent, so the current state is sent again.
 */
export class FluxAgent {
  readonly store = new ClusterStore();
  private readonly informers: Informer[] = [];
  private readonly sent = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private evaluating: Promise<void> = Promise.resolve();
  /** Kinds listed at least once: until all are, `settled()` waits. */
  private readonly listed = new Set<string>();

  constructor(private readonly deps: AgentDeps) {}

  start(): void {
    for (const resource of this.deps.resources ?? watchedResources) {
      this.informers.push(
        new Informer(
          this.deps.api,
          resource,
          {
            reset: (snaps) => {
              this.listed.add(resource.kind);
              const touched = this.store.replaceAll(resource.kind, snaps);
              // Resend on start and after every re-list: the app may have missed what was sent before.
              for (const app of touched) this.sent.delete(app);
              this.markDirty(touched);
            },
            change: (snap, key, deleted) =>
              this.markDirty(
                snap ? this.store.apply(snap, deleted) : deleted ? this.store.remove(resource.kind, key) : [],
              ),
          },
          {
            timeoutSeconds: this.deps.watchTimeoutSeconds,
            retryInitialMs: this.deps.retryInitialMs,
            retryMaxMs: this.deps.retryMaxMs,
            log: this.deps.log,
            sleep: this.deps.sleep,
          },
        ),
      );
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    for (const informer of this.informers) informer.stop();
    await Promise.all(this.informers.map((i) => i.done));
    await this.evaluating;
  }

  /** Resolves once every kind was listed and the pending evaluations ran (tests and the bench wait on it). */
  async settled(): Promise<void> {
    const kinds = (this.deps.resources ?? watchedResources).length;
    while (this.listed.size < kinds || this.timer || this.dirty.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(5, this.deps.settleMs)));
    }
    await this.evaluating;
  }

  private markDirty(apps: string[]): void {
    for (const app of apps) this.dirty.add(app);
    if (this.dirty.size === 0 || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const apps = [...this.dirty];
      this.dirty.clear();
      this.evaluating = this.evaluating.then(() => this.evaluate(apps));
    }, this.deps.settleMs);
  }

  private async evaluate(apps: string[]): Promise<void> {
    for (const key of apps) {
      const view = this.store.view(key);
      if (!view) {
        this.sent.delete(key);
        continue;
      }
      const decision = decideRollout(view, this.deps.clock.now());
      if (decision.kind === "unknown" || decision.kind === "progressing") {
        if (decision.kind === "unknown") this.deps.log.debug({ app: key, why: decision.why }, "rollout not decided");
        continue;
      }
      const sig = signature(decision);
      if (this.sent.get(key) === sig) continue;
      this.sent.set(key, sig);
      const event: AgentEvent = {
        env: view.env,
        app: view.app,
        gitopsRevision: decision.gitopsRevision,
        ready: decision.ready,
        desired: decision.desired,
      };
      if (decision.image) event.image = decision.image;
      if (decision.kind === "failed") {
        event.reason = decision.reason;
        event.message = await this.withLogs(decision.message, decision.logs);
      }
      this.deps.send(event);
    }
  }

  /** The failure's message followed by the failing container's last log lines; the tail is kept when it is too long. */
  private async withLogs(message: string, target: LogTarget | undefined): Promise<string> {
    if (!target || this.deps.logLines === 0) return message.slice(0, MESSAGE_LIMIT);
    let lines = "";
    try {
      lines = (
        await this.deps.api.podLog(target.namespace, target.pod, target.container, target.previous, this.deps.logLines)
      ).trimEnd();
    } catch (error) {
      this.deps.log.debug({ err: error, pod: target.pod }, "could not read the container's log");
    }
    if (!lines) return message.slice(0, MESSAGE_LIMIT);
    const full = `${message}\n--- last log lines of ${target.container} ---\n${lines}`;
    return full.length <= MESSAGE_LIMIT ? full : `${message.slice(0, 1000)}\n…${full.slice(-(MESSAGE_LIMIT - 1002))}`;
  }
}
