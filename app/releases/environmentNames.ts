import { loadManifests } from "../../shared/manifest/index.js";
import type { Clock, Forge, Logger } from "../../shared/ports.js";

/**
 * Which apps a repository deploys to each env, from its `.gimlet/*.yaml` on the default branch (DESIGN §8), cached
 * per repository: the GitHub environment of a release is `<env>` when the repository deploys one app there and
 * `<env>/<app>` when it deploys several, whatever one artifact happened to carry. Read after the gitops push, never
 * before it. Files that don't parse are skipped (the push webhook's config check reports them).
 */
export class DeploymentEnvironments {
  private readonly entries = new Map<
    string,
    { apps: Promise<Map<string, Set<string>> | undefined>; expires: number }
  >();

  constructor(
    private readonly forge: Forge,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly ttlMs = 300_000,
  ) {}

  /** `<env>` or `<env>/<app>`; `fallbackApps` (the artifact's apps in env) only when the default branch can't be read. */
  async name(repository: string, env: string, app: string, preview: boolean, fallbackApps: string[]): Promise<string> {
    if (preview) return `${env}/${app}`;
    const byEnv = await this.appsByEnv(repository);
    const apps = byEnv ? (byEnv.get(env) ?? new Set<string>()) : new Set(fallbackApps);
    apps.add(app);
    return apps.size > 1 ? `${env}/${app}` : env;
  }

  /** Forget a repository (a push to its default branch changed `.gimlet/`). */
  invalidate(repository: string): void {
    this.entries.delete(repository.toLowerCase());
  }

  private appsByEnv(repository: string): Promise<Map<string, Set<string>> | undefined> {
    const key = repository.toLowerCase();
    const now = this.clock.now().getTime();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.apps;
    const apps = this.read(repository);
    this.entries.set(key, { apps, expires: now + this.ttlMs });
    return apps;
  }

  private async read(repository: string): Promise<Map<string, Set<string>> | undefined> {
    try {
      const files = (await this.forge.listFolder(repository, ".gimlet", "")).filter((p) => /\.ya?ml$/.test(p));
      const texts = await Promise.all(files.map((file) => this.forge.readFile(repository, file, "")));
      const byEnv = new Map<string, Set<string>>();
      for (const [i, file] of files.entries()) {
        const text = texts[i];
        if (text === undefined) continue;
        try {
          for (const { manifest } of loadManifests([{ file, text }])) {
            if (manifest.preview) continue;
            byEnv.set(manifest.env, (byEnv.get(manifest.env) ?? new Set()).add(manifest.app));
          }
        } catch {
          // an invalid file names no app here; the config check run reports it
        }
      }
      // No manifests on the default branch (a repository that ships them only with its artifacts): the artifact decides.
      return byEnv.size > 0 ? byEnv : undefined;
    } catch (error) {
      this.log.warn({ err: error, repo: repository }, "could not read .gimlet/ on the default branch");
      this.entries.delete(repository.toLowerCase());
      return undefined;
    }
  }
}
