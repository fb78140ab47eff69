import type { StoredArtifact } from "../../shared/artifact/index.js";
import { envLocation, type GimletConfig } from "../../shared/config/index.js";
import { PolicyDenied, toError } from "../../shared/errors.js";
import type { WriteOutcome } from "../../shared/gitops/index.js";
import type { Manifest } from "../../shared/manifest/index.js";
import type { OutcomeOf, ReasonCode } from "../../shared/outcomes.js";
import type { Deployment, DeploymentStatusInput } from "../../shared/ports.js";
import { type RenderedRelease, renderRelease } from "../../shared/release/index.js";
import type { ReleaseDeps } from "./deps.js";
import { deploymentEnvironment, environmentUrl } from "./environment.js";
import { successMeans, trackingId } from "./tracking.js";
import { admitRelease } from "./trust.js";
import { unchangedReleaseStatus } from "./unchanged.js";

export type ReleaseTrigger = "policy" | "manual" | "button" | "command";

export interface ReleaseRequest {
  artifact: StoredArtifact;
  /** A manifest of `artifact.environments` (preview renaming happens in rendering). */
  manifest: Manifest;
  config: GimletConfig;
  triggeredBy: string;
  trigger: ReleaseTrigger;
  /** Extra deployment payload fields (a command's comment id, so a redelivery finds the deployment it made). */
  payload?: Record<string, unknown>;
}

export interface PushOutcome {
  gitopsSha?: string;
  /** In the one outcome vocabulary (shared/outcomes.ts). */
  decision: OutcomeOf<"committed" | "unchanged" | "failed" | "refused">;
  reasonCode: ReasonCode;
  message?: string;
}

export interface StartedRelease {
  env: string;
  app: string;
  trackingId: string;
  deployment: Deployment;
  /** Settles when the gitops commit is pushed (or the release failed and its deployment says why). */
  pushed: Promise<PushOutcome>;
}

/** Render first: a manifest that can't render is the caller's error, before anything appears on GitHub. */
export function prepareRelease(request: ReleaseRequest): RenderedRelease {
  const rendered = renderRelease(request.artifact, request.manifest);
  admitRelease(request, rendered); // trust boundaries (issue 10): who may deploy here, and what may land in the cluster
  return rendered;
}

/**
 * One release (DESIGN §8): a GitHub Deployment (`queued`), then the gitops commit (`in_progress`, log_url = the
 * commit). Flux feedback moves it to success or failure later. Returns once the deployment exists.
 */
export async function startRelease(
  deps: ReleaseDeps,
  request: ReleaseRequest,
  rendered: RenderedRelease = prepareRelease(request),
): Promise<StartedRelease> {
  const { artifact, config, triggeredBy } = request;
  const repository = artifact.version.repositoryName;
  const location = envLocation(config, rendered.env);
  const preview = Boolean(rendered.manifest.preview);
  const started = deps.clock.now().getTime();
  const deployment = await deps.forge.createDeployment(repository, {
    ref: artifact.version.sha,
    environment: deploymentEnvironment(artifact, rendered.env, rendered.app, preview),
    description: `${rendered.app} ${artifact.version.sha.slice(0, 7)} to ${rendered.env} by ${triggeredBy}`.slice(
      0,
      140,
    ),
    payload: {
      ...request.payload,
      artifactId: artifact.id,
      app: rendered.app,
      env: rendered.env,
      triggeredBy,
      successMeans: successMeans(deps.requireAgentHealth),
    },
    transientEnvironment: preview,
    productionEnvironment: location.production,
  });
  const log = deps.log;
  // The queued status and the gitops push run side by side; in_progress waits for both, so statuses stay in order.
  const queued = deps.forge
    .createDeploymentStatus(repository, deployment.id, { state: "queued", description: `Queued by ${triggeredBy}` })
    .catch((error) => log.warn({ err: error, deployment: deployment.id }, "could not post the queued status"));
  const logUrlOf = (sha: string) => deps.remote.commitUrl(location.repository, sha);
  const pushed = (async (): Promise<PushOutcome> => {
    let outcome: WriteOutcome;
    try {
      const write = deps.writer.deploy({
        repo: location.repository,
        branch: location.branch,
        path: location.path,
        env: rendered.env,
        app: rendered.app,
        files: rendered.files,
        actor: triggeredBy,
        policy: request.trigger === "policy",
        release: {
          artifactId: artifact.id,
          triggeredBy,
          version: artifact.version,
          deployment: { repository, id: deployment.id },
        },
      });
      write.catch(() => undefined); // handled below, after the queued status; never an unhandled rejection meanwhile
      await queued;
      outcome = await write;
    } catch (error) {
      await queued;
      const refused = error instanceof PolicyDenied;
      const message = toError(error).message;
      deps.metrics.releases.inc({ trigger: request.trigger, outcome: refused ? "refused" : "failed" });
      log[refused ? "info" : "error"](
        { env: rendered.env, app: rendered.app, deployment: deployment.id, err: error },
        refused ? "release refused" : "release failed",
      );
      await reportStatus(deps, repository, deployment.id, {
        state: "error",
        description: `${refused ? "Not deployed" : "Gitops write failed"}: ${message}`,
      });
      return {
        decision: refused ? "refused" : "failed",
        reasonCode: error instanceof PolicyDenied ? error.reasonCode : "release_failed",
        message,
      };
    }
    // The commit is pushed: from here on only the report to GitHub can fail, and that never turns a landed release into a failed one.
    const envUrl = environmentUrl(config, artifact, rendered.manifest);
    await reportStatus(
      deps,
      repository,
      deployment.id,
      outcome.decision === "unchanged"
        ? {
            // Confirmed only if the release that committed this content was; else it waits on that one.
            ...(await unchangedReleaseStatus(
              deps,
              { repository: location.repository, branch: location.branch },
              { env: rendered.env, app: rendered.app, gitopsSha: outcome.gitopsSha },
            ).catch((error) => {
              log.warn(
                { err: error, deployment: deployment.id },
                "could not read the release that committed this content",
              );
              return {
                state: "in_progress" as const,
                description: `Already in ${location.repository}@${outcome.gitopsSha.slice(0, 7)}`,
              };
            })),
            logUrl: logUrlOf(outcome.gitopsSha),
            environmentUrl: envUrl,
          }
        : {
            state: "in_progress",
            description: `Committed to ${location.repository}; waiting for Flux`,
            logUrl: logUrlOf(outcome.gitopsSha),
            environmentUrl: envUrl,
          },
    );
    deps.metrics.deployLatency.observe((deps.clock.now().getTime() - started) / 1000);
    deps.metrics.releases.inc({ trigger: request.trigger, outcome: outcome.decision });
    log.info(
      {
        env: rendered.env,
        app: rendered.app,
        gitopsSha: outcome.gitopsSha,
        decision: outcome.decision,
        deployment: deployment.id,
      },
      "release pushed",
    );
    return { gitopsSha: outcome.gitopsSha, decision: outcome.decision, reasonCode: outcome.reasonCode };
  })();
  return {
    env: rendered.env,
    app: rendered.app,
    trackingId: trackingId(repository, deployment.id),
    deployment,
    pushed,
  };
}

/** Post a deployment status, retrying once; a status GitHub would not take is logged, never thrown. */
export async function reportStatus(
  deps: ReleaseDeps,
  repository: string,
  deploymentId: number,
  status: DeploymentStatusInput,
): Promise<boolean> {
  const input = { ...status, description: status.description?.slice(0, 140) };
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      await deps.forge.createDeploymentStatus(repository, deploymentId, input);
      return true;
    } catch (error) {
      if (attempt === 2)
        deps.log.warn(
          { err: error, deployment: deploymentId, state: status.state },
          "could not post the deployment status",
        );
    }
  }
  return false;
}
