import { assignServerFields, parseArtifact, type StoredArtifact } from "../../shared/artifact/index.js";
import { ConfigError, GimletError } from "../../shared/errors.js";
import { artifactCheckRun, type DecisionLike, type DecisionState } from "./checkRunView.js";
import { storeArtifactFile } from "./artifacts.js";
import type { ReleaseDeps } from "./deps.js";
import { decideWithGitopsState, type AppDecision } from "./policyState.js";
import { prepareRelease, startRelease, type StartedRelease } from "./release.js";
import type { ConfigCache } from "./configCache.js";

/** A decision as the API answers it: what the check run shows, plus the release's tracking id. */
export type DecisionView = DecisionLike & { trackingId?: string };

export interface AcceptedArtifact {
  artifact: StoredArtifact;
  decisions: DecisionView[];
  releases: StartedRelease[];
  /** Settles once the check run shows the pushed states (one update after every release pushed). */
  checkRunUpdated: Promise<void>;
}

/**
 * `POST /api/artifacts` after authentication: validate, assign id, decide, start the policy releases, store the
 * artifact on GitHub (check run + artifact file). The caller has been authorized for `repositoryName` by `authorize`.
 */
export async function acceptArtifact(deps: ReleaseDeps, configs: ConfigCache, body: unknown, authorize: (repository: string) => void): Promise<AcceptedArtifact> {
  const parsed = parseArtifact(body);
  authorize(parsed.version.repositoryName);
  const artifact = assignServerFields(parsed, deps.clock.now(), deps.random);
  const repository = artifact.version.repositoryName;
  const config = await configs.get(repository);
  let decisions: AppDecision[] = await decideWithGitopsState(deps, artifact, config);

  const releases: Array<StartedRelease | undefined> = [];
  const states: DecisionState[] = [];
  const stored = storeArtifactFile(deps.forge, config, artifact);
  stored.catch(() => undefined); // awaited below; never an unhandled rejection if a release fails first
  for (const [index, decision] of decisions.entries()) {
    if (!decision.deploy) {
      releases.push(undefined);
      states.push({});
      continue;
    }
    const manifest = artifact.environments[index];
    try {
      const request = { artifact, manifest, config, triggeredBy: "policy", trigger: "policy" as const };
      const release = await startRelease(deps, request, prepareRelease(request));
      releases.push(release);
      states.push({ state: "queued", deploymentUrl: undefined });
    } catch (error) {
      if (!(error instanceof GimletError)) throw error;
      // A manifest that can't render is the user's to fix; anything else (GitHub refusing the deployment) is not.
      const reasonCode = error instanceof ConfigError ? "invalid_manifest" : "release_failed";
      decisions = decisions.map((d, i) => (i === index ? { ...d, deploy: false, reasonCode, reason: error.message } : d));
      releases.push(undefined);
      states.push({ state: "failed" });
    }
  }
  // A button only for a manifest that renders for this artifact: a button that can only fail helps nobody.
  const canRelease = (index: number) => {
    const manifest = artifact.environments[index];
    if (!config.environments[manifest.env]) return false;
    try {
      prepareRelease({ artifact, manifest, config, triggeredBy: "button", trigger: "button" });
      return true;
    } catch (error) {
      if (error instanceof GimletError) return false;
      throw error;
    }
  };
  const [, checkRun] = await Promise.all([stored, deps.forge.createCheckRun(repository, artifactCheckRun(artifact, decisions, states, canRelease))]);
  const checkRunUpdated = releases.some(Boolean)
    ? (async () => {
        const outcomes = await Promise.all(releases.map((r) => r?.pushed));
        const pushedStates: DecisionState[] = outcomes.map((outcome, i) => {
          if (!outcome) return states[i];
          if (outcome.decision === "failed") return { state: `failed: ${outcome.message ?? "gitops write failed"}` };
          return { state: outcome.decision === "unchanged" ? "already deployed" : `committed ${outcome.gitopsSha?.slice(0, 7) ?? ""}`.trim() };
        });
        await deps.forge.updateCheckRun(repository, checkRun.id, artifactCheckRun(artifact, decisions, pushedStates, canRelease));
      })().catch((error) => deps.log.warn({ err: error, artifactId: artifact.id }, "could not update the check run"))
    : Promise.resolve();
  deps.metrics.artifacts.inc();
  deps.log.info({ repo: repository, artifactId: artifact.id, releases: releases.filter(Boolean).length }, "artifact accepted");
  return {
    artifact,
    decisions: decisions.map((d, i) => ({
      env: d.env,
      app: d.app,
      deploy: d.deploy,
      reasonCode: d.reasonCode,
      reason: d.reason,
      ...(d.preview ? { preview: true } : {}),
      ...(releases[i] ? { trackingId: releases[i]?.trackingId } : {}),
    })),
    releases: releases.filter((r): r is StartedRelease => Boolean(r)),
    checkRunUpdated,
  };
}
