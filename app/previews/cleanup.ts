import { envLocation, type GimletConfig } from "../../shared/config/index.js";
import { ConfigError, GimletError } from "../../shared/errors.js";
import { loadManifests, type Manifest } from "../../shared/manifest/index.js";
import { type CleanupTrigger, evaluateCleanupPolicy } from "../../shared/policy/index.js";
import { gitopsTarget } from "../commands/context.js";
import { lockSource } from "../commands/lock.js";
import type { AppServices } from "../services.js";
import { type RemoveOutcome, removeApp } from "./remove.js";

/** The repository's configuration, or undefined (logged) when it has none or a broken one: nothing to clean up then. */
export async function configOrNothing(services: AppServices, repository: string): Promise<GimletConfig | undefined> {
  try {
    return await services.configs.get(repository);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    services.log.info({ repo: repository, err: error }, "no usable Gimlet configuration: nothing to clean up");
    return undefined;
  }
}

/** `.gimlet/*.yaml` of a repository at a ref (the default branch: cleanup rules are the repository's, not a branch's). */
export async function manifestsAt(services: AppServices, repository: string, ref: string): Promise<Manifest[]> {
  const { forge } = services.deps;
  const files = (await forge.listFolder(repository, ".gimlet", ref)).filter((p) => /\.ya?ml$/.test(p));
  const sources = await Promise.all(
    files.map(async (file) => ({ file, text: (await forge.readFile(repository, file, ref)) ?? "" })),
  );
  try {
    return loadManifests(sources).map((l) => l.manifest);
  } catch (error) {
    if (!(error instanceof GimletError)) throw error;
    services.log.warn({ repo: repository, err: error }, "cleanup skipped: the manifests do not load");
    return [];
  }
}

export interface CleanupRequest {
  repository: string;
  defaultBranch: string;
  trigger: CleanupTrigger;
  /** Why, in words: `PR #7 closed`, `branch feature/x deleted`. */
  why: string;
}

/**
 * A PR closed or a branch deleted (DESIGN §5): previews of the PR go, and so do the apps whose `cleanup` policy
 * matches. Each removal is its own commit; every decision is logged with its reason code.
 */
export async function cleanupAfter(services: AppServices, request: CleanupRequest): Promise<RemoveOutcome[]> {
  const config = await configOrNothing(services, request.repository);
  if (!config) return [];
  const manifests = await manifestsAt(services, request.repository, request.defaultBranch);
  const removals = new Map<string, { env: string; app: string; reason: string; preview: boolean }>();
  for (const manifest of manifests) {
    try {
      const outcome = evaluateCleanupPolicy(manifest, request.trigger);
      services.log.debug({ env: outcome.env, app: outcome.app, reasonCode: outcome.reasonCode }, outcome.reason);
      if (!outcome.cleanup || !outcome.app || !config.environments[outcome.env]) continue;
      removals.set(`${outcome.env}/${outcome.app}`, {
        env: outcome.env,
        app: outcome.app,
        reason: `${request.why}${outcome.reasonCode === "cleanup" ? ", cleanup policy" : ""}`,
        preview: Boolean(manifest.preview),
      });
    } catch (error) {
      if (!(error instanceof GimletError)) throw error;
      services.log.warn({ err: error, env: manifest.env, app: manifest.app }, "cleanup policy could not be evaluated");
    }
  }
  const outcomes: RemoveOutcome[] = [];
  for (const removal of removals.values())
    outcomes.push(await removeApp(services, { repository: request.repository, config, ...removal, actor: "gimlet" }));
  return outcomes;
}

/** Locks taken by `/gimlet lock` on this PR are released when it is merged or closed. */
export async function releasePullRequestLocks(
  services: AppServices,
  config: GimletConfig,
  repository: string,
  prNumber: number,
): Promise<string[]> {
  const source = lockSource(repository, prNumber);
  const released: string[] = [];
  for (const env of Object.keys(config.environments)) {
    const target = gitopsTarget(config, env);
    const lock = await services.deps.writer.readLock(target);
    if (lock?.source !== source) continue;
    await services.deps.writer.unlock({ ...target, by: `gimlet (${source} closed)` });
    released.push(`${envLocation(config, env).repository}:${env}`);
  }
  return released;
}
