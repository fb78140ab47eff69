import type { GimletConfig } from "../../shared/config/index.js";
import { ownedBy, type ReleaseRecord } from "../../shared/gitops/index.js";
import { gitopsTarget } from "../commands/context.js";
import { deploymentOfRelease } from "../releases/deploymentLinks.js";
import type { AppServices } from "../services.js";
import { upsertPreviewComment, withRow } from "./comment.js";

export interface RemoveRequest {
  repository: string;
  config: GimletConfig;
  env: string;
  app: string;
  /** Why, as the commit, the deployment statuses and the PR comment say it: `PR #7 closed`. */
  reason: string;
  actor?: string;
  /** A preview: its GitHub environment is `<env>/<app>` (DESIGN §8), listed without looking a deployment up first. */
  preview?: boolean;
}

export interface RemoveOutcome {
  decision: "deleted" | "not_deployed" | "not_owner";
  reasonCode: "deleted" | "not_deployed" | "not_owner";
  env: string;
  app: string;
  gitopsSha?: string;
  message: string;
}

const PREVIEW_APP = /-pr-(\d+)$/;

/**
 * Remove an app from an env: its folder deleted in one commit (`[gimlet] <env>/<app> delete (<reason>)`), its GitHub
 * deployments `inactive` saying why, and for a preview its row in the PR's preview comment. Only the repository that
 * released the app may remove it. Two replicas removing at once make one commit: the second finds the folder gone.
 */
export async function removeApp(services: AppServices, request: RemoveRequest): Promise<RemoveOutcome> {
  const { env, app, repository } = request;
  const target = gitopsTarget(request.config, env);
  const release = await services.deps.writer.readRelease({ ...target, app });
  const base = { env, app };
  if (!release)
    return { ...base, decision: "not_deployed", reasonCode: "not_deployed", message: `${env}/${app} is not deployed` };
  if (!ownedBy(release, repository))
    return {
      ...base,
      decision: "not_owner",
      reasonCode: "not_owner",
      message: `${env}/${app} is released from ${release.version.repositoryName ?? release.deployment?.repository}; ${repository} can't remove it`,
    };
  const written = await services.deps.writer.remove({ ...target, app, reason: request.reason, actor: request.actor });
  if (written.decision !== "committed")
    return {
      ...base,
      decision: "not_deployed",
      reasonCode: "not_deployed",
      message: `${env}/${app} was already removed`,
    };
  services.log.info({ env, app, gitopsSha: written.gitopsSha, reason: request.reason }, "app removed");
  // Only the replica whose commit landed reports it, so statuses and the comment are written once.
  await Promise.all([
    markInactive(services, release, request).catch((error) =>
      services.log.warn({ err: error, env, app }, "could not mark the deployments inactive"),
    ),
    notePreviewRemoved(services, release, request).catch((error) =>
      services.log.warn({ err: error, env, app }, "could not update the preview comment"),
    ),
  ]);
  return {
    ...base,
    decision: "deleted",
    reasonCode: "deleted",
    gitopsSha: written.gitopsSha,
    message: `${env}/${app} removed: ${request.reason}`,
  };
}

/**
 * Every deployment of the app's GitHub environment (newest 100) gets `inactive` with the reason, but for older ones
 * whose newest status already is `inactive` (superseded in one Flux pass, or removed before): that write would change
 * nothing anyone sees. GitHub's `auto_inactive` does not help here: a cleanup posts no new `success`, and it never
 * touches transient (preview) environments. The newest deployment is the live release (never inactive while its
 * folder exists), so only the older ones' statuses are read, in parallel: reads are not throttled like writes.
 */
async function markInactive(services: AppServices, release: ReleaseRecord, request: RemoveRequest): Promise<void> {
  const { forge } = services.deps;
  const repository = String(release.version.repositoryName ?? request.repository);
  // A preview's environment is known from its name; one list of it finds every deployment it had.
  let found = request.preview
    ? { repository, list: await forge.listDeployments(repository, { environment: `${request.env}/${request.app}` }) }
    : undefined;
  if (!found?.list.length) {
    // Commit first: a release made since names no deployment; its artifact sha's deployments name it.
    const deployment = await deploymentOfRelease(forge, release);
    if (!deployment) return;
    const all = await forge.listDeployments(deployment.repository, { environment: deployment.environment });
    found = { repository: deployment.repository, list: [deployment, ...all] };
  }
  const target = found.repository;
  const ids = [...new Set(found.list.map((d) => d.id))].sort((a, b) => b - a);
  const states = await Promise.all(
    ids.map((id, i) =>
      i === 0
        ? undefined
        : forge.listDeploymentStatuses(target, id).then(
            (statuses) => statuses[0]?.state,
            () => undefined, // unreadable: mark it anyway
          ),
    ),
  );
  for (const [i, deploymentId] of ids.entries()) {
    if (states[i] === "inactive") continue;
    await forge.createDeploymentStatus(target, deploymentId, {
      state: "inactive",
      description: `Removed: ${request.reason}`.slice(0, 140),
    });
  }
}

async function notePreviewRemoved(
  services: AppServices,
  release: ReleaseRecord,
  request: RemoveRequest,
): Promise<void> {
  const prNumber = Number(PREVIEW_APP.exec(request.app)?.[1] ?? release.version.prNumber);
  if (!services.conversation || !PREVIEW_APP.test(request.app) || !Number.isInteger(prNumber)) return;
  const now = services.deps.clock.now().toISOString();
  await upsertPreviewComment(services.conversation, request.repository, prNumber, (rows) => {
    const row = rows.find((r) => r.env === request.env && r.app === request.app);
    return withRow(rows, {
      env: request.env,
      app: request.app,
      sha: row?.sha ?? String(release.version.sha ?? ""),
      state: "removed",
      url: row?.url,
      removed: request.reason,
      updated: now,
    });
  });
}
