import { ConfigError } from "../../shared/errors.js";
import type { DeploymentState, DeploymentStatus } from "../../shared/ports.js";
import { CommitDeployments } from "../releases/deploymentLinks.js";
import type { ReleaseDeps } from "../releases/deps.js";
import { reportStatus } from "../releases/release.js";
import { APPLIED_PREFIX, appliedInProgress } from "../releases/tracking.js";
import type { FluxOutcome } from "./event.js";

export interface SettleRequest {
  /** The gitops repository Flux applied (owner/repo) and its branch. */
  repository: string;
  branch: string;
  /** The env the Flux Kustomization applies (`?env=` on the Provider); without it every env in the repository is settled. */
  env?: string;
  sha: string;
  outcome: Exclude<FluxOutcome, "ignored">;
  message: string;
}

export interface SettledDeployment {
  repository: string;
  deploymentId: number;
  state: DeploymentState;
  gitopsSha: string;
}

/**
 * The payload of a settled deployment when settling listed it (a `Gimlet-Deployment` trailer names only the id),
 * kept beside the result (which is the Flux event's answer) so a command's reply is followed without reading the
 * deployment again.
 */
const settledPayloads = new WeakMap<SettledDeployment, Record<string, unknown>>();
export const settledPayload = (settled: SettledDeployment): Record<string, unknown> | undefined =>
  settledPayloads.get(settled);

const TERMINAL: ReadonlySet<DeploymentState> = new Set(["success", "error", "inactive"]);

/**
 * Settled already? Success, error and inactive are final; "applied, waiting for the rollout" is settled as far as Flux
 * goes. A Flux failure is final for more failures but not for a later success: Flux retries, and a health check that
 * timed out often passes on the next reconciliation.
 */
function isSettled(statuses: readonly DeploymentStatus[], outcome: SettleRequest["outcome"]): boolean {
  const latest = statuses[0];
  if (!latest) return false;
  if (TERMINAL.has(latest.state)) return true;
  if (latest.state === "failure") return outcome === "failed";
  return appliedInProgress(statuses);
}
const MAX_COMMITS = 200;

/**
 * Flux applied (or failed to apply) a gitops revision: settle every release in that commit and in the earlier
 * commits Flux skipped over, stopping at the first commit already settled. Newest release per environment gets
 * success; older ones it superseded in the same pass become inactive. The state lives only in GitHub and git.
 */
export async function settleRevision(deps: ReleaseDeps, request: SettleRequest): Promise<SettledDeployment[]> {
  const commits = await deps.writer.releaseCommits(
    { repo: request.repository, branch: request.branch },
    request.sha,
    MAX_COMMITS,
  );
  const pending: Array<{
    repository: string;
    id: number;
    gitopsSha: string;
    environment?: string;
    environmentUrl?: string;
    payload?: Record<string, unknown>;
  }> = [];
  const envsSeen = new Set<string>();
  const links = new CommitDeployments(deps);
  for (const commit of commits) {
    const isRelease = commit.deployments.length > 0 || commit.release !== undefined;
    if (commit.env && isRelease) envsSeen.add(commit.env);
    // A cluster applies its env's folder only: a staging event says nothing about production releases in the same repo.
    if (request.env && commit.env && commit.env !== request.env) continue;
    if (!isRelease) continue;
    // Deployments are created after the push: one not made yet (or of a repository that is gone) is skipped, and the
    // walk goes on past its commit, so a later event still settles it.
    const refs = await links.of(commit);
    let unsettled = 0;
    for (const ref of refs) {
      let statuses: DeploymentStatus[];
      try {
        statuses = await deps.forge.listDeploymentStatuses(ref.repository, ref.id);
      } catch (error) {
        deps.log.warn(
          { err: error, repo: ref.repository, deployment: ref.id },
          "could not read a deployment's statuses",
        );
        continue;
      }
      if (isSettled(statuses, request.outcome)) continue;
      unsettled++;
      pending.push({
        repository: ref.repository,
        id: ref.id,
        gitopsSha: commit.sha,
        environment: ref.environment,
        environmentUrl: statuses.find((s) => s.environmentUrl)?.environmentUrl,
        payload: ref.payload,
      });
    }
    if (refs.length > 0 && unsettled === 0) break;
  }
  if (!request.env && envsSeen.size > 1) {
    throw ConfigError.at(
      "env",
      `${request.repository} holds several environments (${[...envsSeen].sort().join(", ")}): add &env=<env> to the Flux Provider address, so one cluster's event settles only its own releases`,
    );
  }
  // Environments matter only when one pass settles several releases (the older of one env was superseded).
  // (Deployments found by listing carry it; only those named by a `Gimlet-Deployment` trailer need a read.)
  if (pending.length > 1 && request.outcome === "applied") {
    await Promise.all(
      pending.map(async (p) => {
        p.environment ??= (await deps.forge.getDeployment(p.repository, p.id).catch(() => undefined))?.environment;
      }),
    );
  }

  const seenEnvironments = new Set<string>();
  const results: SettledDeployment[] = [];
  // pending is newest first: the first release seen per environment is the one that runs now.
  const plan = pending.map((p) => {
    const key = `${p.repository}\0${p.environment ?? p.id}`;
    const superseded = request.outcome === "applied" && seenEnvironments.has(key);
    seenEnvironments.add(key);
    return { ...p, superseded };
  });
  // Oldest first, so GitHub's auto-inactive never retires a newer deployment behind an older one.
  for (const p of plan.reverse()) {
    const logUrl = deps.remote.commitUrl(request.repository, p.gitopsSha);
    let state: DeploymentState;
    let description: string;
    if (p.superseded) {
      state = "inactive";
      description = "Superseded by a newer release in the same Flux revision";
    } else if (request.outcome === "failed") {
      state = "failure";
      description = `Flux failed to apply ${request.sha.slice(0, 7)}: ${request.message}`;
    } else {
      state = deps.requireAgentHealth ? "in_progress" : "success";
      description = `${APPLIED_PREFIX} at ${request.sha.slice(0, 7)}${deps.requireAgentHealth ? "; waiting for the rollout" : ""}`;
    }
    // A status GitHub would not take (a repository gone since) is logged; the other releases still settle.
    const posted = await reportStatus(deps, p.repository, p.id, {
      state,
      description: description.slice(0, 140),
      logUrl,
      environmentUrl: p.environmentUrl,
    });
    if (!posted) continue;
    const result: SettledDeployment = { repository: p.repository, deploymentId: p.id, state, gitopsSha: p.gitopsSha };
    if (p.payload) settledPayloads.set(result, p.payload);
    results.push(result);
  }
  deps.log.info(
    { gitops: request.repository, sha: request.sha, outcome: request.outcome, settled: results.length },
    "flux revision settled",
  );
  return results;
}
