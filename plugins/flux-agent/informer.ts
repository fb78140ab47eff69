import type { Logger } from "../../shared/ports.js";
import { type KubeApi, KubeError, type WatchHandle } from "./kube.js";
import { objectKey, type RawObject, type Snap } from "./objects.js";
import type { WatchedResource } from "./resources.js";

export interface InformerHandlers {
  /** A fresh list: everything known of the kind is replaced (start, 410 Gone, reconnect after an error). */
  reset(snaps: Snap[]): void;
  change(snap: Snap | undefined, key: string, deleted: boolean): void;
}

export interface InformerOptions {
  timeoutSeconds: number;
  retryInitialMs: number;
  retryMaxMs: number;
  log: Logger;
  sleep: (ms: number) => Promise<void>;
}

class Expired extends Error {}

/**
 * List, then watch from the list's resourceVersion, forever: a stream the server closes is watched again from the
 * last version seen (bookmarks keep it fresh); 410 Gone, an ERROR event or a failed request lists again, with backoff
 * after failures. `stop()` ends it.
 */
export class Informer {
  private stopped = false;
  private handle: WatchHandle | undefined;
  private wake: (() => void) | undefined;
  readonly done: Promise<void>;

  constructor(
    private readonly api: KubeApi,
    private readonly resource: WatchedResource,
    private readonly handlers: InformerHandlers,
    private readonly options: InformerOptions,
  ) {
    this.done = this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.handle?.stop();
    this.wake?.();
  }

  private async pause(ms: number): Promise<void> {
    await Promise.race([this.options.sleep(ms), new Promise<void>((resolve) => (this.wake = resolve))]);
  }

  private async loop(): Promise<void> {
    let failures = 0;
    const resource = this.resource;
    const log = this.options.log;
    while (!this.stopped) {
      try {
        const listed = await this.api.list(resource.path, resource.labelSelector);
        if (this.stopped) return;
        this.handlers.reset(listed.items.flatMap((raw) => resource.compact(raw) ?? []));
        log.debug({ kind: resource.kind, count: listed.items.length }, "listed");
        failures = 0;
        await this.watchFrom(listed.resourceVersion, () => {
          failures = 0;
        });
      } catch (error) {
        if (this.stopped) return;
        if (error instanceof Expired) {
          log.info({ kind: resource.kind }, "watch expired (410 Gone): listing again");
          continue;
        }
        failures++;
        const delay = Math.min(this.options.retryMaxMs, this.options.retryInitialMs * 2 ** (failures - 1));
        log.warn({ kind: resource.kind, err: error, retryInMs: delay }, "watch failed: listing again");
        await this.pause(delay);
      }
    }
  }

  /** Watch until the version expires (throws Expired) or the connection fails (throws). */
  private async watchFrom(listVersion: string, onEvent: () => void): Promise<void> {
    let version = listVersion;
    const { resource } = this;
    while (!this.stopped) {
      let expired = false;
      let failed: Error | undefined;
      this.handle = await this.api.watch(
        resource.path,
        {
          resourceVersion: version,
          labelSelector: resource.labelSelector,
          timeoutSeconds: this.options.timeoutSeconds,
        },
        (type, object) => {
          if (type === "ERROR") {
            const code = (object as { code?: number }).code;
            if (code === 410) expired = true;
            else failed = new KubeError(String((object as { message?: string }).message ?? "watch error"), code);
            this.handle?.stop();
            return;
          }
          const meta = (object.metadata ?? {}) as RawObject;
          if (typeof meta.resourceVersion === "string") version = meta.resourceVersion;
          if (type === "BOOKMARK") return;
          onEvent();
          const deleted = type === "DELETED";
          this.handlers.change(resource.compact(object), objectKey(object), deleted);
        },
      );
      if (this.stopped) this.handle.stop();
      const ended = await this.handle.ended;
      if (this.stopped) return;
      if (expired || (ended instanceof KubeError && ended.statusCode === 410)) throw new Expired();
      if (failed) throw failed;
      if (ended) throw ended;
      // The server closed the stream (its timeout, or a dropped connection): watch on from the last version seen.
    }
  }
}
