import type { StoredArtifact } from "../../shared/artifact/index.js";
import { envLocation, type GimletConfig } from "../../shared/config/index.js";
import type { Manifest } from "../../shared/manifest/index.js";
import type { ReasonCodeOf } from "../../shared/outcomes.js";
import { decideReleases, type EnvLockState, type ReleaseDecision } from "../../shared/policy/index.js";
import type { ReleaseDeps } from "./deps.js";

export type AppDecision = Omit<ReleaseDecision, "reasonCode"> & {
  reasonCode:
    | ReleaseDecision["reasonCode"]
    | ReasonCodeOf<
        | "unknown_env"
        | "release_failed"
        | "branch_not_allowed"
        | "repository_not_allowed"
        | "object_not_allowed"
        | "environment_forbidden"
      >;
};

/**
 * Policy decisions with the gitops state they depend on: an env lock or a rollback pin blocks a policy deploy.
 * The state is read only for the environments the policy would release to, with one fetch per environment.
 */
export async function decideWithGitopsState(
  deps: ReleaseDeps,
  artifact: StoredArtifact,
  config: GimletConfig,
  /** The manifests whose policies decide (trusted ones for protected envs); default the artifact's. */
  manifests: readonly Manifest[] = artifact.environments,
): Promise<AppDecision[]> {
  const first: AppDecision[] = decideReleases(artifact, manifests);
  const appsByEnv = new Map<string, string[]>();
  for (const decision of first) {
    if (!decision.deploy || !config.environments[decision.env]) continue;
    appsByEnv.set(decision.env, [...(appsByEnv.get(decision.env) ?? []), decision.app]);
  }
  const locks = new Map<string, EnvLockState | undefined>();
  const pins = new Map<string, string | undefined>();
  await Promise.all(
    [...appsByEnv].map(async ([env, apps]) => {
      const location = envLocation(config, env);
      const state = await deps.writer.readEnvState(
        { repo: location.repository, branch: location.branch, path: location.path, env },
        apps,
      );
      locks.set(env, state.lock ? { by: state.lock.by, reason: state.lock.reason } : undefined);
      for (const [app, release] of state.releases)
        pins.set(`${env}/${app}`, release?.pinned ? (release.rollback?.of ?? "a rollback") : undefined);
    }),
  );
  const decisions: AppDecision[] = decideReleases(artifact, manifests, {
    lockOf: (env) => locks.get(env),
    pinOf: (env, app) => pins.get(`${env}/${app}`),
  });
  return decisions.map((decision) =>
    decision.deploy && !config.environments[decision.env]
      ? {
          ...decision,
          deploy: false,
          reasonCode: "unknown_env",
          reason: `environment ${decision.env} is not configured in .github/gimlet.yml (configured: ${Object.keys(config.environments).join(", ")})`,
        }
      : decision,
  );
}
