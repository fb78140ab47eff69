import { envLocation, type GimletConfig } from "../../shared/config/index.js";
import { ConfigError, Conflict, toError } from "../../shared/errors.js";
import { ownedBy, releaseOwner, rollbackTarget } from "../../shared/gitops/index.js";
import type { Deployment } from "../../shared/ports.js";
import type { ReleasePayload } from "./deploymentLinks.js";
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
 * A rollback is a release too: the restored folder committed and pinned first, then a GitHub Deployment of the
 * restored version (so the Deployments tab tells the truth).
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
  // deployment names the restored version.
  const chosen = rollbackTarget(history, where, request.to);
  // Releases made before commit-first name their deployment: the environment URL comes from it.
  const current = history[0];
  // The folder may once have held another repository's app of the same name: never restore that one.
  if (!ownedBy(chosen, request.repository))
    throw new Conflict(
      `${where} at ${chosen.gitopsSha.slice(0, 7)} was released from ${releaseOwner(chosen)}; ${request.repository} can't restore it`,
    );
  const sha = typeof chosen.version?.sha === "string" ? chosen.version.sha : undefined;
  if (!sha) throw ConfigError.at("to", `the release ${chosen.gitopsSha.slice(0, 7)} records no commit sha to deploy`);
  const id = trackingId(request.repository, {
    sha,
    env: request.env,
    app: request.app,
    nonce: Buffer.from(deps.random(8)).toString("hex"),
  });
  // Commit first (DESIGN §7): the restored folder is pushed before anything is written to GitHub; its trailers name
  // the repository and the restored sha, and the deployment created afterwards names the commit.
  type Written = { outcome: Awaited<ReturnType<typeof deps.writer.rollback>>; error?: undefined } | { error: unknown };
  const written: Promise<Written> = deps.writer
    .rollback({ ...target, to: chosen.gitopsSha, actor: request.actor, owner: request.repository })
    .then(
      (outcome) => ({ outcome }),
      (error: unknown) => ({ error }),
    );
  const pushed = written.then((result): PushOutcome => {
    if ("outcome" in result) {
      deps.metrics.releases.inc({ trigger: "rollback", outcome: result.outcome.decision });
      return {
        gitopsSha: result.outcome.gitopsSha,
        decision: result.outcome.decision,
        reasonCode: result.outcome.reasonCode,
      };
    }
    deps.metrics.releases.inc({ trigger: "rollback", outcome: "failed" });
    return { decision: "failed", reasonCode: "release_failed", message: toError(result.error).message };
  });
  const reported = (async (): Promise<Deployment | undefined> => {
    const result = await pushed;
    let deployment: Deployment;
    try {
      deployment = await deps.forge.createDeployment(request.repository, {
        ref: sha,
        environment: deps.environments
          ? await deps.environments.name(request.repository, request.env, request.app, false, [])
          : request.env,
        description:
          `Rollback of ${request.app} in ${request.env} to ${chosen.gitopsSha.slice(0, 7)} by ${request.actor}`.slice(
            0,
            140,
          ),
        payload: {
          ...request.payload,
          artifactId: chosen.artifactId ?? "",
          app: request.app,
          env: request.env,
          triggeredBy: request.actor,
          rollbackOf: chosen.gitopsSha,
          gitopsSha: result.gitopsSha ?? "",
          trackingId: id,
          successMeans: successMeans(deps.requireAgentHealth),
        } satisfies ReleasePayload,
        transientEnvironment: false,
        productionEnvironment: location.production,
      });
    } catch (error) {
      deps.log.warn({ err: error, env: request.env, app: request.app }, "could not create the rollback's deployment");
      return undefined;
    }
    await reportStatus(
      deps,
      request.repository,
      deployment.id,
      result.gitopsSha
        ? {
            state: "in_progress",
            description: `Rolled back in ${location.repository}; waiting for Flux`,
            logUrl: deps.remote.commitUrl(location.repository, result.gitopsSha),
            environmentUrl: await restoredEnvironmentUrl(deps, request.repository, [chosen, current]),
          }
        : { state: "error", description: `Rollback failed: ${result.message ?? ""}` },
    );
    return deployment;
  })().catch(() => undefined);
  deps.deployFirst?.release(request.repository, reported);
  return { trackingId: id, rolledBackTo: chosen.gitopsSha, pushed, reported };
}

/**
 * The environment URL of a rollback: the one the restored release's deployment reported (the same version runs
 * again), else the current release's. A release made commit-first names no deployment in its record: its deployment
 * is the one of its artifact sha that names its gitops commit. Undefined when none had one (e.g. history written by
 * the original Gimlet).
 */
async function restoredEnvironmentUrl(
  deps: ReleaseDeps,
  repository: string,
  entries: ReadonlyArray<
    | { gitopsSha: string; version?: Record<string, unknown>; deployment?: { repository: string; id: number | string } }
    | undefined
  >,
): Promise<string | undefined> {
  for (const entry of entries) {
    if (!entry) continue;
    try {
      const sha = typeof entry.version?.sha === "string" ? entry.version.sha : undefined;
      const deployment =
        entry.deployment ??
        (sha
          ? (await deps.forge.listDeployments(repository, { sha })).find((d) => d.payload.gitopsSha === entry.gitopsSha)
          : undefined);
      if (!deployment) continue;
      const statuses = await deps.forge.listDeploymentStatuses(deployment.repository, Number(deployment.id));
      const url = statuses.find((s) => s.environmentUrl)?.environmentUrl;
      if (url) return url;
    } catch {
      // A deployment GitHub no longer has: the rollback still proceeds, without a URL.
    }
  }
  return undefined;
}
