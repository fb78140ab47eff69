import type { StoredArtifact } from "../../shared/artifact/index.js";
import { envLocation, type GimletConfig } from "../../shared/config/index.js";
import { PolicyDenied, toError } from "../../shared/errors.js";
import type { WriteOutcome } from "../../shared/gitops/index.js";
import type { Manifest } from "../../shared/manifest/index.js";
import type { OutcomeOf, ReasonCode } from "../../shared/outcomes.js";
import type { Deployment, DeploymentStatusInput } from "../../shared/ports.js";
import { type RenderedRelease, renderRelease } from "../../shared/release/index.js";
import type { ReleasePayload } from "./deploymentLinks.js";
import type { ReleaseDeps } from "./deps.js";
import { deploymentEnvironment, environmentUrl } from "./environment.js";
import { successMeans, trackingId } from "./tracking.js";
import { admitRelease } from "./trust.js";
import { committingRelease, unchangedReleaseStatus } from "./unchanged.js";

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
  /** Settles when the gitops commit is pushed (or the write failed or was refused); nothing before it waits for GitHub. */
  pushed: Promise<PushOutcome>;
  /**
   * Settles once GitHub shows the release: its Deployment (created after the push, naming the gitops commit in its
   * payload) and the status saying what the push did. Undefined when GitHub would not create the deployment: the
   * release still landed, which is what matters, and the failure is logged. Never rejects.
   */
  reported: Promise<Deployment | undefined>;
}

/** Render first: a manifest that can't render is the caller's error, before anything appears on GitHub. */
export function prepareRelease(request: ReleaseRequest): RenderedRelease {
  const rendered = renderRelease(request.artifact, request.manifest);
  admitRelease(request, rendered); // trust boundaries (issue 10): who may deploy here, and what may land in the cluster
  return rendered;
}

/** The GitHub environment of a release (`<env>` or `<env>/<app>`, DESIGN §8). */
export async function releaseEnvironment(
  deps: ReleaseDeps,
  artifact: StoredArtifact,
  env: string,
  app: string,
  preview: boolean,
): Promise<string> {
  if (!deps.environments) return deploymentEnvironment(artifact, env, app, preview);
  const artifactApps = artifact.environments.filter((m) => m.env === env && !m.preview).map((m) => m.app);
  return deps.environments.name(artifact.version.repositoryName, env, app, preview, artifactApps);
}

/**
 * One release (DESIGN §7, §8), commit first: the gitops commit is written and pushed without waiting for any GitHub
 * write (its trailers name the app repository, the artifact sha and the artifact); then the GitHub Deployment is
 * created, naming the commit, with one status: `in_progress` (log_url = the commit), `success` when nothing changed,
 * or `error`. Flux feedback moves it on later. Returns at once; `pushed` and `reported` settle in that order.
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
  const log = deps.log;
  const id = trackingId(repository, {
    sha: artifact.version.sha,
    env: rendered.env,
    app: rendered.app,
    nonce: Buffer.from(deps.random(8)).toString("hex"),
  });
  const logUrlOf = (sha: string) => deps.remote.commitUrl(location.repository, sha);
  type Written = { outcome: WriteOutcome; error?: undefined } | { outcome?: undefined; error: unknown };
  const written: Promise<Written> = deps.writer
    .deploy({
      repo: location.repository,
      branch: location.branch,
      path: location.path,
      env: rendered.env,
      app: rendered.app,
      files: rendered.files,
      actor: triggeredBy,
      policy: request.trigger === "policy",
      release: { artifactId: artifact.id, triggeredBy, version: artifact.version },
    })
    .then(
      (outcome) => ({ outcome }),
      (error: unknown) => ({ error }),
    );
  const pushed = written.then(({ outcome, error }): PushOutcome => {
    if (outcome) {
      deps.metrics.deployLatency.observe((deps.clock.now().getTime() - started) / 1000);
      deps.metrics.releases.inc({ trigger: request.trigger, outcome: outcome.decision });
      log.info(
        { env: rendered.env, app: rendered.app, gitopsSha: outcome.gitopsSha, decision: outcome.decision },
        "release pushed",
      );
      return { gitopsSha: outcome.gitopsSha, decision: outcome.decision, reasonCode: outcome.reasonCode };
    }
    const refused = error instanceof PolicyDenied;
    const message = toError(error).message;
    deps.metrics.releases.inc({ trigger: request.trigger, outcome: refused ? "refused" : "failed" });
    log[refused ? "info" : "error"](
      { env: rendered.env, app: rendered.app, err: error },
      refused ? "release refused" : "release failed",
    );
    return {
      decision: refused ? "refused" : "failed",
      reasonCode: error instanceof PolicyDenied ? error.reasonCode : "release_failed",
      message,
    };
  });
  const reported = (async (): Promise<Deployment | undefined> => {
    const { outcome } = await written;
    const result = await pushed;
    // A write that changed nothing follows the release that committed the content: found before the deployment is
    // created, so the deployment names it (payload.follows) and the sweep never reads descriptions.
    const leader =
      outcome?.decision === "unchanged"
        ? await committingRelease(
            deps,
            { repository: location.repository, branch: location.branch },
            { env: rendered.env, app: rendered.app, gitopsSha: outcome.gitopsSha },
          ).catch((error: unknown) => {
            log.warn(
              { err: error, gitopsSha: outcome.gitopsSha },
              "could not read the release that committed this content",
            );
            return null;
          })
        : undefined;
    let deployment: Deployment;
    try {
      const payload: ReleasePayload = {
        ...request.payload,
        artifactId: artifact.id,
        app: rendered.app,
        env: rendered.env,
        triggeredBy,
        gitopsSha: outcome?.gitopsSha ?? "",
        trackingId: id,
        successMeans: successMeans(deps.requireAgentHealth),
        ...(leader ? { follows: { repository: leader.repository, id: leader.id } } : {}),
      };
      deployment = await deps.forge.createDeployment(repository, {
        ref: artifact.version.sha,
        environment: await releaseEnvironment(deps, artifact, rendered.env, rendered.app, preview),
        description: `${rendered.app} ${artifact.version.sha.slice(0, 7)} to ${rendered.env} by ${triggeredBy}`.slice(
          0,
          140,
        ),
        payload: { ...payload },
        transientEnvironment: preview,
        productionEnvironment: location.production,
      });
    } catch (error) {
      log.warn(
        { err: error, env: rendered.env, app: rendered.app, gitopsSha: outcome?.gitopsSha },
        "could not create the GitHub deployment of a release",
      );
      return undefined;
    }
    const envUrl = outcome ? environmentUrl(config, artifact, rendered.manifest) : undefined;
    await reportStatus(
      deps,
      repository,
      deployment.id,
      !outcome
        ? {
            state: "error",
            description: `${result.decision === "refused" ? "Not deployed" : "Gitops write failed"}: ${result.message ?? ""}`,
          }
        : outcome.decision === "unchanged"
          ? {
              // Confirmed only if the release that committed this content was; else it waits on that one.
              ...(leader === null
                ? alreadyIn(location.repository, outcome.gitopsSha)
                : await unchangedReleaseStatus(deps, location, leader, outcome.gitopsSha).catch((error) => {
                    log.warn({ err: error, deployment: deployment.id }, "could not read the release it follows");
                    return alreadyIn(location.repository, outcome.gitopsSha);
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
    return deployment;
  })().catch((error: unknown) => {
    log.warn({ err: error }, "could not report a release to GitHub");
    return undefined;
  });
  deps.deployFirst?.release(repository, reported);
  return { env: rendered.env, app: rendered.app, trackingId: id, pushed, reported };
}

/** An unchanged release whose leader could not be read: committed, waiting (the overdue sweep ends it). */
const alreadyIn = (repository: string, gitopsSha: string) => ({
  state: "in_progress" as const,
  description: `Already in ${repository}@${gitopsSha.slice(0, 7)}`,
});

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
