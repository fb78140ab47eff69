import { assignServerFields, parseArtifact, type StoredArtifact, type Version } from "../../shared/artifact/index.js";
import { ConfigError, GimletError, PolicyDenied, toError } from "../../shared/errors.js";
import { decisionOutcome, OUTCOMES } from "../../shared/outcomes.js";
import { ObjectsNotAllowed } from "../../shared/render/index.js";
import { storeArtifactFile } from "./artifacts.js";
import { artifactCheckRun, type DecisionLike, type DecisionState } from "./checkRunView.js";
import type { ConfigCache } from "./configCache.js";
import type { ReleaseDeps } from "./deps.js";
import { type AppDecision, decideWithGitopsState } from "./policyState.js";
import { prepareRelease, type StartedRelease, startRelease } from "./release.js";
import { trustedPolicy } from "./trust.js";

/** A decision as the API answers it: what the check run shows, plus the release's tracking id. */
export type DecisionView = DecisionLike & { trackingId?: string };

export interface AcceptedArtifact {
  artifact: StoredArtifact;
  decisions: DecisionView[];
  releases: StartedRelease[];
  /**
   * Settles once the artifact is stored on GitHub: its check run (created once, after the releases are pushed and
   * their deployments created, with the states a person acts on) and its artifact file. Never rejects.
   */
  checkRunUpdated: Promise<void>;
  /** What went wrong without failing the request. */
  warnings: string[];
}

/** Who shipped the artifact, as acceptArtifact checks it. */
export interface ArtifactCaller {
  /** Refuses (throws) a caller that may not ship this version: its repository, and for OIDC callers its ref. */
  authorize(version: Version): void;
  /** Why the caller may not have the policy release to `env` (an API token's environments); undefined if it may. */
  releaseRefusal?(env: string): string | undefined;
}

/**
 * `POST /api/artifacts` after authentication: validate, assign id, decide, start the policy releases, store the
 * artifact on GitHub (check run + artifact file). A policy release to an environment the caller may not release to is
 * not started (`environment_forbidden`); the Deploy button still offers it to a person.
 */
export async function acceptArtifact(
  deps: ReleaseDeps,
  configs: ConfigCache,
  body: unknown,
  caller: ArtifactCaller,
  /** The up-front check (limits, names that become paths): throws before anything is done for the artifact. */
  check?: (artifact: StoredArtifact) => void,
): Promise<AcceptedArtifact> {
  const parsed = parseArtifact(body);
  caller.authorize(parsed.version);
  const artifact = assignServerFields(parsed, deps.clock.now(), deps.random);
  check?.(artifact);
  const repository = artifact.version.repositoryName;
  const config = await configs.get(repository);
  const trust = await trustedPolicy(deps, configs, artifact, config);
  let decisions: AppDecision[] = trust
    .apply(await decideWithGitopsState(deps, artifact, config, trust.manifests))
    .map((decision) => {
      const refusal = decision.deploy ? caller.releaseRefusal?.(decision.env) : undefined;
      return refusal ? { ...decision, deploy: false, reasonCode: "environment_forbidden", reason: refusal } : decision;
    });

  const releases: Array<StartedRelease | undefined> = [];
  const states: DecisionState[] = [];
  const warnings: string[] = [];
  for (const [index, decision] of decisions.entries()) {
    if (!decision.deploy) {
      releases.push(undefined);
      states.push({});
      continue;
    }
    try {
      const manifest = artifact.environments[index];
      if (!manifest) throw new Error(`internal: decision ${index} has no manifest in the artifact`);
      const request = { artifact, manifest, config, triggeredBy: "policy", trigger: "policy" as const };
      const release = await startRelease(deps, request, prepareRelease(request));
      releases.push(release);
      states.push({ state: "queued" });
    } catch (error) {
      // One release failing (a manifest that can't render, GitHub refusing the deployment) fails that release only:
      // the others go on, and the artifact is still stored and reported.
      const reasonCode =
        error instanceof ObjectsNotAllowed || error instanceof PolicyDenied
          ? (error.reasonCode as AppDecision["reasonCode"])
          : error instanceof ConfigError
            ? "invalid_manifest"
            : "release_failed";
      const reason = toError(error).message;
      if (!(error instanceof GimletError))
        deps.log.error({ err: error, env: decision.env, app: decision.app }, "release could not start");
      decisions = decisions.map((d, i) => (i === index ? { ...d, deploy: false, reasonCode, reason } : d));
      releases.push(undefined);
      states.push({ state: "failed" });
    }
  }
  // A button only for a manifest that renders for this artifact: a button that can only fail helps nobody.
  const canRelease = (index: number) => {
    const manifest = artifact.environments[index];
    // An env with `deployers` gets its button too: the press checks membership (teams included) before releasing.
    if (!manifest || !config.environments[manifest.env]) return false;
    try {
      prepareRelease({ artifact, manifest, config, triggeredBy: "button", trigger: "button" });
      return true;
    } catch (error) {
      if (error instanceof GimletError) return false;
      throw error;
    }
  };
  // Deploy-path writes first: Probot's throttle sends one write at a time per installation, in the order asked, so
  // the artifact's own writes (file, check run) are asked for only once its releases' deployments are reported.
  // Two writes, no update: the check run is created with the pushed states.
  const checkRunUpdated = (async () => {
    const outcomes = await Promise.all(releases.map((r) => r?.pushed));
    await Promise.all(releases.map((r) => r?.reported));
    await deps.deployFirst?.idle(repository);
    const pushedStates: DecisionState[] = outcomes.map((outcome, i) => {
      if (!outcome) return states[i] ?? {};
      // The outcome code first (README's Reason codes), then what it concerns.
      if (outcome.decision === "failed" || outcome.decision === "refused")
        return {
          state: `${outcome.decision} (${outcome.reasonCode}): ${outcome.message ?? OUTCOMES[outcome.decision]}`,
        };
      return { state: `${outcome.decision} ${outcome.gitopsSha?.slice(0, 7) ?? ""}`.trim() };
    });
    await Promise.all([
      storeArtifactFile(deps.forge, config, artifact).catch((error) =>
        deps.log.error({ err: error, artifactId: artifact.id }, "could not store the artifact file"),
      ),
      deps.forge
        .createCheckRun(repository, artifactCheckRun(artifact, decisions, pushedStates, canRelease))
        .catch((error) => deps.log.error({ err: error, artifactId: artifact.id }, "could not create the check run")),
    ]);
  })().catch((error) => deps.log.warn({ err: error, artifactId: artifact.id }, "could not store the artifact"));
  // Nothing released: no deploy path to keep ahead, so the artifact is stored before the answer (a client may ask
  // for a release of it next, as the Action's `deploy:` does).
  if (!releases.some(Boolean)) await checkRunUpdated;
  else deps.deployFirst?.storingArtifact(artifact.id, checkRunUpdated);
  deps.metrics.artifacts.inc();
  deps.log.info(
    { repo: repository, artifactId: artifact.id, releases: releases.filter(Boolean).length },
    "artifact accepted",
  );
  return {
    artifact,
    decisions: decisions.map((d, i) => ({
      env: d.env,
      app: d.app,
      deploy: d.deploy,
      outcome: decisionOutcome(d),
      reasonCode: d.reasonCode,
      reason: d.reason,
      ...(d.preview ? { preview: true } : {}),
      ...(releases[i] ? { trackingId: releases[i]?.trackingId } : {}),
    })),
    releases: releases.filter((r): r is StartedRelease => Boolean(r)),
    checkRunUpdated,
    warnings,
  };
}
