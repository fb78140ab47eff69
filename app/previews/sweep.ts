import type { GimletConfig } from "../../shared/config/index.js";
import { GimletError } from "../../shared/errors.js";
import { type GitopsTarget, releaseOwner } from "../../shared/gitops/index.js";
import type { Manifest } from "../../shared/manifest/index.js";
import { previewAppName, previewExpired } from "../../shared/policy/index.js";
import { gitopsTarget } from "../commands/context.js";
import { findArtifact } from "../releases/artifacts.js";
import type { AppServices } from "../services.js";
import { manifestsAt } from "./cleanup.js";
import { type RemoveOutcome, removeApp } from "./remove.js";

const PREVIEW_APP = /-pr-(\d+)$/;

export interface SweepSource {
  /** An app repository whose configuration names gitops envs to sweep. */
  repository: string;
  config: GimletConfig;
}

/**
 * The TTL sweep (DESIGN §5): what to remove comes from the gitops repositories themselves, since the app keeps no
 * database. In every env the sources' configurations name, each current preview (`<app>-pr-<N>`) is read from its
 * release.json (owner repository, PR, created); the owner's preview manifest gives `cleanup.ttl`; a preview with no
 * new commit for that long is removed. Replicas may sweep at the same time: the second finds the folder gone.
 */
export async function sweepExpiredPreviews(
  services: AppServices,
  sources: readonly SweepSource[],
): Promise<RemoveOutcome[]> {
  const now = services.deps.clock.now();
  const targets = new Map<string, GitopsTarget & { env: string }>();
  for (const { config } of sources)
    for (const env of Object.keys(config.environments)) {
      const target = gitopsTarget(config, env);
      targets.set(`${target.repo}\0${target.branch}\0${target.path}\0${env}`, target);
    }
  const owners = new Map<string, Promise<{ config: GimletConfig; manifests: Manifest[] } | undefined>>();
  const ownerOf = (repository: string) => {
    let found = owners.get(repository);
    if (!found) {
      found = (async () => {
        try {
          const config = await services.configs.get(repository);
          return { config, manifests: await manifestsAt(services, repository, "HEAD") };
        } catch (error) {
          if (!(error instanceof GimletError)) throw error;
          services.log.warn({ repo: repository, err: error }, "sweep skipped a repository without a usable config");
          return undefined;
        }
      })();
      owners.set(repository, found);
    }
    return found;
  };
  const removed: RemoveOutcome[] = [];
  for (const target of targets.values()) {
    const history = await services.deps.writer.history({ ...target, limit: 1000 });
    const current = new Map<string, (typeof history)[number]>();
    for (const entry of history) if (!current.has(entry.app)) current.set(entry.app, entry);
    for (const entry of current.values()) {
      const pr = PREVIEW_APP.exec(entry.app);
      const owner = releaseOwner(entry);
      if (!pr || !owner || entry.type === "delete") continue;
      const prNumber = Number(pr[1]);
      const source = await ownerOf(owner);
      if (!source) continue;
      const isThePreview = (m: Manifest) =>
        Boolean(m.preview) && m.env === target.env && previewAppName(m.app, prNumber) === entry.app;
      // the repository's manifests on its default branch; else (local mode has no checkout) the released artifact's
      const manifest =
        source.manifests.find(isThePreview) ??
        (entry.artifactId
          ? (
              await findArtifact(services.deps.forge, source.config, owner, entry.artifactId).catch(() => undefined)
            )?.environments.find(isThePreview)
          : undefined);
      if (!manifest?.cleanup?.ttl) continue;
      if (!previewExpired(manifest, new Date(entry.created), now)) continue;
      removed.push(
        await removeApp(services, {
          repository: owner,
          config: source.config,
          env: target.env,
          app: entry.app,
          reason: `no new commit for ${manifest.cleanup.ttl} (cleanup.ttl)`,
          actor: "gimlet",
          preview: true,
        }),
      );
    }
  }
  return removed;
}

export interface SweeperOptions {
  intervalMs: number;
  /** The sources to sweep, asked for at every run (the configuration may change). */
  sources(): Promise<SweepSource[]>;
}

/** Sweep at start and then on a timer; a failed run is logged and the next one tries again. */
export function startPreviewSweeper(
  services: AppServices,
  options: SweeperOptions,
): { stop(): void; run(): Promise<void> } {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= (async () => {
      try {
        const removed = await sweepExpiredPreviews(services, await options.sources());
        const deleted = removed.filter((r) => r.decision === "deleted");
        if (deleted.length)
          services.log.info({ removed: deleted.map((r) => `${r.env}/${r.app}`) }, "expired previews removed");
      } catch (error) {
        services.log.warn({ err: error }, "preview sweep failed");
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void run(), options.intervalMs);
  timer.unref();
  const first = setTimeout(() => void run(), 1000);
  first.unref();
  return {
    stop() {
      clearInterval(timer);
      clearTimeout(first);
    },
    run,
  };
}

const seen = new WeakMap<AppServices, Set<string>>();

/** Remember an app repository that released a preview, so this replica's sweep covers its envs. */
export function notePreviewRepository(services: AppServices, repository: string): void {
  const set = seen.get(services) ?? new Set<string>();
  seen.set(services, set);
  set.add(repository);
}

/** The sweep's sources: the configured repositories and those seen releasing previews, with their configs. */
export async function sweepSources(services: AppServices, configured: readonly string[]): Promise<SweepSource[]> {
  const repositories = new Set([...configured, ...(seen.get(services) ?? [])]);
  const sources = await Promise.all(
    [...repositories].map(async (repository) => {
      try {
        return { repository, config: await services.configs.get(repository) };
      } catch (error) {
        services.log.warn({ repo: repository, err: error }, "sweep: no usable configuration");
        return undefined;
      }
    }),
  );
  return sources.filter((s): s is SweepSource => Boolean(s));
}
