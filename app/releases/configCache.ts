import type { GimletConfig } from "../../shared/config/index.js";
import type { Clock, Forge } from "../../shared/ports.js";
import { loadGimletConfig } from "./config.js";

/**
 * `.github/gimlet.yml` per repository for a short while: every artifact would otherwise cost an API call. A push
 * that touches the file invalidates it; replicas without the push converge after `ttlMs`.
 */
export class ConfigCache {
  private readonly entries = new Map<string, { config: GimletConfig; expires: number }>();

  constructor(
    private readonly forge: Forge,
    private readonly clock: Clock,
    private readonly ttlMs = 60_000,
    private readonly options: { requireOrgConfig?: boolean } = {},
  ) {}

  async get(repository: string): Promise<GimletConfig> {
    const key = repository.toLowerCase();
    const now = this.clock.now().getTime();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.config;
    const config = await loadGimletConfig(this.forge, repository, this.options);
    this.entries.set(key, { config, expires: now + this.ttlMs });
    return config;
  }

  private readonly branches = new Map<string, { branch: string; expires: number }>();

  /** The repository's default branch (trusted config and policy are read there); "main" for forges that don't say. */
  async defaultBranch(repository: string): Promise<string> {
    const key = repository.toLowerCase();
    const now = this.clock.now().getTime();
    const hit = this.branches.get(key);
    if (hit && hit.expires > now) return hit.branch;
    const branch = this.forge.defaultBranch ? await this.forge.defaultBranch(repository) : "main";
    this.branches.set(key, { branch, expires: now + this.ttlMs });
    return branch;
  }

  private readonly trusted = new Map<string, { value: Promise<unknown>; expires: number }>();

  /** A value read from the repository's default branch (its `.gimlet` policies), cached like the config. */
  async fromDefaultBranch<T>(repository: string, load: () => Promise<T>): Promise<T> {
    const key = repository.toLowerCase();
    const now = this.clock.now().getTime();
    const hit = this.trusted.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    const value = load();
    this.trusted.set(key, { value, expires: now + this.ttlMs });
    value.catch(() => this.trusted.delete(key));
    return value;
  }

  /** Forget a repository (its config changed) or, for an org `.github` change, every repository of the owner. */
  invalidate(repository: string): void {
    const key = repository.toLowerCase();
    const [owner, repo] = key.split("/");
    for (const cached of [...this.entries.keys()])
      if (cached === key || (repo === ".github" && cached.startsWith(`${owner}/`))) this.entries.delete(cached);
    this.trusted.delete(key);
    this.branches.delete(key);
  }
}
