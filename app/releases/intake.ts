import { assignServerFields, parseArtifact, type StoredArtifact } from "../../shared/artifact/index.js";
import { GimletError } from "../../shared/errors.js";
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
      decisions = decisions.map((d, i) => (i === index ? { ...d, deploy: false, reasonCode: "invalid_manifest", reason: error.message } : d));
      releases.push(undefined);
      states.push({ state: "failed" });
    }
  }
  await Promise.all([stored, deps.forge.createCheckRun(repository, artifactCheckRun(artifact, decisions, states))]);
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
  };
}
