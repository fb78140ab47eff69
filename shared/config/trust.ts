import type { ReasonCodeOf } from "../outcomes.js";
import { compileGlob } from "../policy/glob.js";
import type { EnvironmentConfig } from "./schema.js";

/** Why an environment refuses a repository or an artifact's ref (DESIGN §7). */
export type TrustReasonCode = ReasonCodeOf<"repository_not_allowed" | "branch_not_allowed">;

export interface TrustRefusal {
  reasonCode: TrustReasonCode;
  reason: string;
}

/** What an artifact says about where it was built (a subset of its version). */
export interface BuiltRef {
  event?: "push" | "tag" | "pr";
  branch?: string;
  tag?: string;
}

const anyMatch = (patterns: readonly string[], text: string, caseInsensitive = false): boolean =>
  patterns.some((p) => (caseInsensitive ? compileGlob(p.toLowerCase())(text.toLowerCase()) : compileGlob(p)(text)));

/**
 * An env whose deploy policy must come from trusted ground (the default branch), not the artifact's copy: a
 * production env, or one that says who (`deployers`) or which refs (`branches`) may deploy there.
 */
export function isProtectedEnv(env: EnvironmentConfig): boolean {
  return env.production || Boolean(env.deployers?.length) || Boolean(env.branches?.length);
}

/** May `repository` deploy to this env at all (`repositories` globs; absent = any)? */
export function checkRepository(env: EnvironmentConfig, envName: string, repository: string): TrustRefusal | undefined {
  if (!env.repositories || anyMatch(env.repositories, repository, true)) return undefined;
  return {
    reasonCode: "repository_not_allowed",
    reason: `${repository} may not deploy to ${envName}: its repositories are ${env.repositories.join(", ")}`,
  };
}

/** The refs `branches` allows: the env's globs, or for a production env without them, the default branch only. */
export function allowedRefs(env: EnvironmentConfig, defaultBranch: string): string[] | undefined {
  if (env.branches?.length) return env.branches;
  return env.production ? [defaultBranch] : undefined;
}

/**
 * May policy deploy an artifact built from this ref here? A branch artifact (push, or a PR's head branch) is
 * matched by name; a tag artifact by `refs/tags/<tag>`, so a branch glob never lets a tag through by accident.
 */
export function checkPolicyRef(
  env: EnvironmentConfig,
  envName: string,
  built: BuiltRef,
  defaultBranch: string,
): TrustRefusal | undefined {
  const allowed = allowedRefs(env, defaultBranch);
  if (!allowed) return undefined;
  const ref = built.event === "tag" ? (built.tag ? `refs/tags/${built.tag}` : "") : (built.branch ?? "");
  if (ref && anyMatch(allowed, ref)) return undefined;
  const source = env.branches?.length
    ? `its branches are ${allowed.join(", ")}`
    : `it is production: only ${defaultBranch}, unless branches says otherwise`;
  return {
    reasonCode: "branch_not_allowed",
    reason: `artifacts of ${ref || "an unknown ref"} are not deployed to ${envName} by policy: ${source}`,
  };
}
