/**
 * Deploy-path writes first (DESIGN §8). Probot's throttle sends one installation's writes one at a time, in the order
 * they were asked for, and a write already queued can't be overtaken. So the writes nobody waits on (artifact files,
 * check runs) are asked for only when no release of that owner (one installation) is between its start and its
 * deployment status: a burst of artifacts gets every deployment and `in_progress` out before any artifact file. A
 * cosmetic write waits at most `maxWaitMs`, so a steady stream of deploys can't starve it.
 */
export class DeployFirst {
  private readonly inflight = new Map<string, number>();
  private readonly waiters = new Map<string, Array<() => void>>();

  /** Artifacts accepted here whose file is not stored yet, by id. */
  private readonly storing = new Map<string, Promise<void>>();

  constructor(private readonly maxWaitMs = 30_000) {}

  /** An artifact whose file is being stored (after its releases): a release of it asked for meanwhile waits for it. */
  storingArtifact(id: string, stored: Promise<void>): void {
    this.storing.set(id, stored);
    void stored.finally(() => {
      if (this.storing.get(id) === stored) this.storing.delete(id);
    });
  }

  /** Resolves once an artifact accepted by this process is stored (at once for any other). */
  async artifactStored(id: string): Promise<void> {
    await this.storing.get(id);
  }

  /** Count a release from its start until `reported` settles. */
  release(repository: string, reported: Promise<unknown>): void {
    const key = ownerOf(repository);
    this.inflight.set(key, (this.inflight.get(key) ?? 0) + 1);
    void reported.finally(() => {
      const left = (this.inflight.get(key) ?? 1) - 1;
      if (left > 0) {
        this.inflight.set(key, left);
        return;
      }
      this.inflight.delete(key);
      for (const wake of this.waiters.get(key) ?? []) wake();
      this.waiters.delete(key);
    });
  }

  /** Resolves when no release of the repository's owner is on its way to GitHub (or after `maxWaitMs`). */
  idle(repository: string): Promise<void> {
    const key = ownerOf(repository);
    if (!this.inflight.get(key)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.maxWaitMs);
      timer.unref?.();
      this.waiters.set(key, [
        ...(this.waiters.get(key) ?? []),
        () => {
          clearTimeout(timer);
          resolve();
        },
      ]);
    });
  }
}

function ownerOf(repository: string): string {
  return repository.split("/")[0]?.toLowerCase() ?? "";
}
