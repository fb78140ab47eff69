import type { Logger } from "../../shared/ports.js";

/** The body of `POST /api/agent/events` (DESIGN §10). */
export interface AgentEvent {
  env: string;
  app: string;
  gitopsRevision: string;
  image?: string;
  ready: number;
  desired: number;
  reason?: string;
  message?: string;
}

export interface PosterOptions {
  serverUrl: string;
  token: string;
  repository: string;
  branch: string;
  retryInitialMs: number;
  retryMaxMs: number;
  log: Logger;
  sleep: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

/**
 * Posts rollout events to the app, one app at a time, newest state wins: while the app is down (network error, 5xx,
 * 429) the event waits with exponential backoff, and a newer state of the same app replaces it. A 4xx other than
 * 408/429 is the agent's configuration (token, repository) or a bug: logged and dropped, never retried forever.
 */
export class EventPoster {
  private readonly pending = new Map<string, AgentEvent>();
  private running: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: PosterOptions) {}

  send(event: AgentEvent): void {
    const key = `${event.env}/${event.app}`;
    this.pending.delete(key); // re-insert: the newest event goes to the back of the queue
    this.pending.set(key, event);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
      if (this.pending.size > 0 && !this.stopped) this.running = this.drain();
    });
  }

  /** Resolves when nothing is waiting to be posted. */
  async idle(): Promise<void> {
    for (let running = this.running; running !== undefined; running = this.running) await running;
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private url(): string {
    const url = new URL("/api/agent/events", this.options.serverUrl);
    url.searchParams.set("repository", this.options.repository);
    url.searchParams.set("branch", this.options.branch);
    return url.toString();
  }

  private async drain(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const next = this.pending.entries().next();
      if (next.done) return;
      const [key, event] = next.value;
      const outcome = await this.postOnce(event);
      if (outcome === "retry") {
        failures++;
        const delay = Math.min(this.options.retryMaxMs, this.options.retryInitialMs * 2 ** (failures - 1));
        this.options.log.warn(
          { env: event.env, app: event.app, retryInMs: delay },
          "the app did not take the event; retrying",
        );
        await Promise.race([this.options.sleep(delay), new Promise<void>((resolve) => (this.wake = resolve))]);
        continue;
      }
      failures = 0;
      // A newer event of the same app may have arrived while this one was on the wire: keep that one.
      if (this.pending.get(key) === event) this.pending.delete(key);
    }
  }

  private async postOnce(event: AgentEvent): Promise<"done" | "retry"> {
    const doFetch = this.options.fetch ?? fetch;
    try {
      const response = await doFetch(this.url(), {
        method: "POST",
        headers: { authorization: `Bearer ${this.options.token}`, "content-type": "application/json" },
        body: JSON.stringify(event),
      });
      const text = await response.text();
      if (response.ok) {
        this.options.log.info(
          {
            env: event.env,
            app: event.app,
            revision: event.gitopsRevision,
            reason: event.reason,
            status: response.status,
          },
          "rollout reported",
        );
        return "done";
      }
      if (response.status >= 500 || response.status === 429 || response.status === 408) return "retry";
      this.options.log.error(
        { env: event.env, app: event.app, status: response.status, body: text.slice(0, 500) },
        "the app refused the rollout event",
      );
      return "done";
    } catch (error) {
      this.options.log.debug({ err: error }, "posting the rollout event failed");
      return "retry";
    }
  }
}
