import type { StoredArtifact } from "../../shared/artifact/index.js";
import {
  checkPolicyRef,
  checkRepository,
  type GimletConfig,
  isProtectedEnv,
  type TrustRefusal,
} from "../../shared/config/index.js";
import { GimletError, PolicyDenied } from "../../shared/errors.js";
import { type LoadedManifest, loadManifests, type Manifest } from "../../shared/manifest/index.js";
import type { RenderedRelease } from "../../shared/release/index.js";
import { assertObjectsAllowed } from "../../shared/render/index.js";
import type { ConfigCache } from "./configCache.js";
import type { ReleaseDeps } from "./deps.js";
import type { AppDecision } from "./policyState.js";
import type { ReleaseRequest } from "./release.js";

/** Where the deploy policy that decided came from: the artifact's copy, or the default branch (trusted ground). */
export interface TrustedPolicy {
  /** The artifact's manifests with, for protected envs, the deploy policy of the default branch in place of theirs. */
  manifests: Manifest[];
  /** Refusals and notes for the decisions, one per manifest. */
  apply(decisions: AppDecision[]): AppDecision[];
}

interface DefaultBranchManifests {
  loaded: LoadedManifest[];
  problem?: string;
}

/** `.gimlet/*.yaml` on the repository's default branch; a folder that doesn't load trusts nothing. */
async function defaultBranchManifests(
  deps: ReleaseDeps,
  repository: string,
  branch: string,
): Promise<DefaultBranchManifests> {
  const files = (await deps.forge.listFolder(repository, ".gimlet", branch)).filter((p) => /\.ya?ml$/.test(p));
  const sources = await Promise.all(
    files.map(async (file) => ({ file, text: (await deps.forge.readFile(repository, file, branch)) ?? "" })),
  );
  try {
    return { loaded: loadManifests(sources) };
  } catch (error) {
    if (!(error instanceof GimletError)) throw error;
    return { loaded: [], problem: error.message };
  }
}

/**
 * Policy from trusted ground (DESIGN §7): for an env with `production`, `deployers` or `branches`, the deploy policy
 * that decides is the manifest's on the repository's default branch, never the artifact's copy (which the branch
 * that built it wrote). Then `repositories` and `branches` refuse what the env does not take.
 */
export async function trustedPolicy(
  deps: ReleaseDeps,
  configs: ConfigCache,
  artifact: StoredArtifact,
  config: GimletConfig,
): Promise<TrustedPolicy> {
  const repository = artifact.version.repositoryName;
  // A forge without default branches (local mode: one user, files on disk) has no trusted ground to read from.
  const trustedGround = Boolean(deps.forge.defaultBranch);
  const protectedEnvs =
    trustedGround &&
    artifact.environments.some((m) => {
      const env = config.environments[m.env];
      return env && isProtectedEnv(env);
    });
  const defaultBranch = protectedEnvs ? await configs.defaultBranch(repository) : "";
  const trusted = protectedEnvs
    ? await configs.fromDefaultBranch(repository, () => defaultBranchManifests(deps, repository, defaultBranch))
    : { loaded: [] };
  const notes: Array<string | undefined> = [];
  const manifests = artifact.environments.map((manifest) => {
    const env = config.environments[manifest.env];
    if (!env || !protectedEnvs || !isProtectedEnv(env)) {
      notes.push(undefined);
      return manifest;
    }
    const match = trusted.loaded.find(
      (l) =>
        l.manifest.env === manifest.env &&
        l.manifest.app === manifest.app &&
        Boolean(l.manifest.preview) === Boolean(manifest.preview),
    );
    if (!match) {
      notes.push(
        trusted.problem
          ? `no trusted policy: .gimlet on ${defaultBranch} does not load (${trusted.problem})`
          : `no trusted policy: ${repository}@${defaultBranch} has no .gimlet manifest for ${manifest.env}/${manifest.app}`,
      );
      const { deploy: _untrusted, ...rest } = manifest;
      return rest;
    }
    notes.push(`policy from ${repository}@${defaultBranch}:${match.file}, not the artifact's copy`);
    const { deploy: _untrusted, ...rest } = manifest;
    return match.manifest.deploy ? { ...rest, deploy: match.manifest.deploy } : rest;
  });
  const refusalOf = (index: number, decision: AppDecision): TrustRefusal | undefined => {
    const manifest = artifact.environments[index];
    const env = manifest ? config.environments[manifest.env] : undefined;
    if (!env) return undefined;
    return (
      checkRepository(env, decision.env, repository) ??
      (decision.deploy ? checkPolicyRef(env, decision.env, artifact.version, defaultBranch || "main") : undefined)
    );
  };
  return {
    manifests,
    apply: (decisions) =>
      decisions.map((decision, index) => {
        const refusal = refusalOf(index, decision);
        const note = notes[index];
        if (refusal) return { ...decision, deploy: false, ...refusal, reason: withNote(refusal.reason, note) };
        return note ? { ...decision, reason: withNote(decision.reason, note) } : decision;
      }),
  };
}

function withNote(reason: string, note: string | undefined): string {
  return note ? `${reason} (${note})` : reason;
}

/**
 * Every release, whatever triggered it, before anything reaches GitHub or git: the env takes this repository
 * (`repositories`), and the rendered objects stay within its `namespaces` and `clusterScoped`.
 */
export function admitRelease(request: ReleaseRequest, rendered: RenderedRelease): void {
  const env = request.config.environments[rendered.env];
  if (!env) return; // an unknown env fails on its location, with the configured ones listed
  const refusal = checkRepository(env, rendered.env, request.artifact.version.repositoryName);
  if (refusal) throw new PolicyDenied(refusal.reason, refusal.reasonCode);
  assertObjectsAllowed(rendered.objects, env, rendered.env);
}
