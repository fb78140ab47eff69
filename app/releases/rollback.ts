import { envLocation, type GimletConfig } from "../../shared/config/index.js";
import { ConfigError, Conflict, toError } from "../../shared/errors.js";
import { ownedBy, releaseOwner, rollbackTarget } from "../../shared/gitops/index.js";
import type { ReleaseDeps } from "./deps.js";
import { type PushOutcome, reportStatus } from "./release.js";
import { successMeans, trackingId } from "./tracking.js";

export interface RollbackRequest {
  repository: string;
  config: GimletConfig;
  env: string;
  app: string;
  /** A gitops commit of an earlier deploy; default the release before the current one. */
  to?: string;
  actor: string;
  /** Extra deployment payload fields (a command's comment id). */
  payload?: Record<string, unknown>;
}

/**
 * A rollback is a release too: a GitHub Deployment of the restored version (so the Deployments tab tells the truth),
 * then the restored folder committed and pinned.
 */
export async function rollbackRelease(deps: ReleaseDeps, request: RollbackRequest) {
  const location = envLocation(request.config, request.env);
  const target = {
    repo: location.repository,
    branch: location.branch,
    path: location.path,
    env: request.env,
    app: request.app,
  };
  const where = `${request.env}/${request.app}`;
  const history = await deps.writer.history({ ...target, limit: 200 });
  // The newest entry that names its repository says whose app this is now.
  const owner = history.map((entry) => releaseOwner(entry)).find(Boolean);
  if (owner && owner !== request.repository.toLowerCase()) {
    throw new Conflict(`${where} is released from ${owner}; ${request.repository} can't roll it back`);
  }
  // The same choice the writer makes (it checks again at the head of its queue); chosen here because the GitHub
  // Deployment of the restored version must exist before the commit that names it.
  const chosen = rollbackTarget(history, where, request.to);
  const current = history[0];
  // The folder may once have held another repository's app of the same name: never restore that one.
  if (!ownedBy(chosen, request.repository))
    throw new Conflict(
      `${where} at ${chosen.gitopsSha.slice(0, 7)} was released from ${releaseOwner(chosen)}; ${request.repository} can't restore it`,
    );
  const sha = typeof chosen.version?.sha === "string" ? chosen.version.sha : undefined;
  if (!sha) throw ConfigError.at("to", `the release ${chosen.gitopsSha.slice(0, 7)} records no commit sha to deploy`);
  const deployment = await deps.forge.createDeployment(request.repository, {
    ref: sha,
    environment: await environmentOfRelease(deps, current?.deployment, request.env),
    description:
      `Rollback of ${request.app} in ${request.env} to ${chosen.gitopsSha.slice(0, 7)} by ${request.actor}`.slice(
        0,
        140,
      ),
    payload: {
      ...request.payload,
      artifactId: chosen.artifactId,
      app: request.app,
      env: request.env,
      triggeredBy: request.actor,
      rollbackOf: chosen.gitopsSha,
      successMeans: successMeans(deps.requireAgentHealth),
    },
    transientEnvironment: false,
    productionEnvironment: location.production,
  });
  await deps.forge.createDeploymentStatus(request.repository, deployment.id, {
    state: "queued",
    description: `Rollback queued by ${request.actor}`,
  });
  const pushed = (async (): Promise<PushOutcome> => {
    let outcome: Awaited<ReturnType<typeof deps.writer.rollback>>;
    try {
      outcome = await deps.writer.rollback({
        ...target,
        to: chosen.gitopsSha,
        actor: request.actor,
        owner: request.repository,
        deployment: { repository: request.repository, id: deployment.id },
      });
    } catch (error) {
      deps.metrics.releases.inc({ trigger: "rollback", outcome: "failed" });
      await reportStatus(deps, request.repository, deployment.id, {
        state: "error",
        description: `Rollback failed: ${toError(error).message}`,
      });
      return { decision: "failed", reasonCode: "release_failed", message: toError(error).message };
    }
    await reportStatus(deps, request.repository, deployment.id, {
      state: "in_progress",
      description: `Rolled back in ${location.repository}; waiting for Flux`,
      logUrl: deps.remote.commitUrl(location.repository, outcome.gitopsSha),
      environmentUrl: await restoredEnvironmentUrl(deps, [chosen.deployment, current?.deployment]),
    });
    deps.metrics.releases.inc({ trigger: "rollback", outcome: outcome.decision });
    return { gitopsSha: outcome.gitopsSha, decision: outcome.decision, reasonCode: outcome.reasonCode };
  })();
  return {
    trackingId: trackingId(request.repository, deployment.id),
    rolledBackTo: chosen.gitopsSha,
    deployment,
    pushed,
  };
}

/** The GitHub environment the app's releases use (`env` or `env/app`), read from the current release's deployment. */
async function environmentOfRelease(
  deps: ReleaseDeps,
  deployment: { repository: string; id: number | string } | undefined,
  env: string,
): Promise<string> {
  if (!deployment) return env;
  const found = await deps.forge.getDeployment(deployment.repository, Number(deployment.id));
  return found?.environment ?? env;
}

/**
 * The environment URL of a rollback: the one the restored release's deployment reported (the same version runs
 * again), else the current release's. Undefined when neither had one (e.g. history written by the original Gimlet).
 */
async function restoredEnvironmentUrl(
  deps: ReleaseDeps,
  deployments: ReadonlyArray<{ repository: string; id: number | string } | undefined>,
): Promise<string | undefined> {
  for (const deployment of deployments) {
    if (!deployment) continue;
    try {
      const statuses = await deps.forge.listDeploymentStatuses(deployment.repository, Number(deployment.id));
      const url = statuses.find((s) => s.environmentUrl)?.environmentUrl;
      if (url) return url;
    } catch {
      // A deployment GitHub no longer has: the rollback still proceeds, without a URL.
    }
  }
  return undefined;
}
