import type { StoredArtifact } from "../../shared/artifact/index.js";
import { envLocation, type GimletConfig } from "../../shared/config/index.js";
import { toError } from "../../shared/errors.js";
import type { Manifest } from "../../shared/manifest/index.js";
import type { Deployment } from "../../shared/ports.js";
import { renderRelease, type RenderedRelease } from "../../shared/release/index.js";
import type { ReleaseDeps } from "./deps.js";
import { deploymentEnvironment, environmentUrl } from "./environment.js";
import { trackingId } from "./tracking.js";

export type ReleaseTrigger = "policy" | "manual" | "button" | "command";

export interface ReleaseRequest {
  artifact: StoredArtifact;
  /** A manifest of `artifact.environments` (preview renaming happens in rendering). */
  manifest: Manifest;
  config: GimletConfig;
  triggeredBy: string;
  trigger: ReleaseTrigger;
}

export interface StartedRelease {
  env: string;
  app: string;
  trackingId: string;
  deployment: Deployment;
  /** Settles when the gitops commit is pushed (or the release failed and its deployment says why). */
  pushed: Promise<{ gitopsSha?: string; decision: "committed" | "unchanged" | "failed"; message?: string }>;
}

/** Render first: a manifest that can't render is the caller's error, before anything appears on GitHub. */
export function prepareRelease(request: ReleaseRequest): RenderedRelease {
  return renderRelease(request.artifact, request.manifest);
}

/**
 * One release (DESIGN §8): a GitHub Deployment (`queued`), then the gitops commit (`in_progress`, log_url = the
 * commit). Flux feedback moves it to success or failure later. Returns once the deployment exists.
 */
export async function startRelease(deps: ReleaseDeps, request: ReleaseRequest, rendered: RenderedRelease = prepareRelease(request)): Promise<StartedRelease> {
  const { artifact, config, triggeredBy } = request;
  const repository = artifact.version.repositoryName;
  const location = envLocation(config, rendered.env);
  const preview = Boolean(rendered.manifest.preview);
  const started = deps.clock.now().getTime();
  const deployment = await deps.forge.createDeployment(repository, {
    ref: artifact.version.sha,
    environment: deploymentEnvironment(artifact, rendered.env, rendered.app, preview),
    description: `${rendered.app} ${artifact.version.sha.slice(0, 7)} to ${rendered.env} by ${triggeredBy}`.slice(0, 140),
    payload: { artifactId: artifact.id, app: rendered.app, env: rendered.env, triggeredBy },
    transientEnvironment: preview,
    productionEnvironment: location.production,
  });
  const log = deps.log;
  // The queued status and the gitops push run side by side; in_progress waits for both, so statuses stay in order.
  const queued = deps.forge
    .createDeploymentStatus(repository, deployment.id, { state: "queued", description: `Queued by ${triggeredBy}` })
    .catch((error) => log.warn({ err: error, deployment: deployment.id }, "could not post the queued status"));
  const pushed = (async () => {
    try {
      const write = deps.writer.deploy({
        repo: location.repository,
        branch: location.branch,
        path: location.path,
        env: rendered.env,
        app: rendered.app,
        files: rendered.files,
        actor: triggeredBy,
        release: { artifactId: artifact.id, triggeredBy, version: artifact.version, deployment: { repository, id: deployment.id } },
      });
      write.catch(() => undefined); // handled below, after the queued status; never an unhandled rejection meanwhile
      await queued;
      const outcome = await write;
      const envUrl = environmentUrl(config, artifact, rendered.manifest);
      if (outcome.decision === "unchanged") {
        await deps.forge.createDeploymentStatus(repository, deployment.id, {
          state: "success",
          description: `Already deployed in ${location.repository}@${outcome.gitopsSha.slice(0, 7)}`,
          logUrl: deps.remote.commitUrl(location.repository, outcome.gitopsSha),
          environmentUrl: envUrl,
        });
      } else {
        await deps.forge.createDeploymentStatus(repository, deployment.id, {
          state: "in_progress",
          description: `Committed to ${location.repository}; waiting for Flux`,
          logUrl: deps.remote.commitUrl(location.repository, outcome.gitopsSha),
          environmentUrl: envUrl,
        });
      }
      deps.metrics.deployLatency.observe((deps.clock.now().getTime() - started) / 1000);
      deps.metrics.releases.inc({ trigger: request.trigger, outcome: outcome.decision });
      log.info({ env: rendered.env, app: rendered.app, gitopsSha: outcome.gitopsSha, decision: outcome.decision, deployment: deployment.id }, "release pushed");
      return { gitopsSha: outcome.gitopsSha, decision: outcome.decision };
    } catch (error) {
      await queued;
      const message = toError(error).message;
      deps.metrics.releases.inc({ trigger: request.trigger, outcome: "failed" });
      log.error({ env: rendered.env, app: rendered.app, deployment: deployment.id, err: error }, "release failed");
      await deps.forge
        .createDeploymentStatus(repository, deployment.id, { state: "error", description: `Gitops write failed: ${message}`.slice(0, 140) })
        .catch((statusError) => log.error({ err: statusError }, "could not report the failure on the deployment"));
      return { decision: "failed" as const, message };
    }
  })();
  return { env: rendered.env, app: rendered.app, trackingId: trackingId(repository, deployment.id), deployment, pushed };
}
