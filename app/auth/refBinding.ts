import { forbidden } from "./errors.js";
import type { CallerIdentity } from "./identity.js";

/** What an artifact says it was built from. */
export interface BuiltFrom {
  event: "push" | "tag" | "pr";
  branch?: string;
  tag?: string;
  prNumber?: number;
  targetBranch?: string;
}

const claim = (claims: Record<string, unknown>, name: string): string | undefined =>
  typeof claims[name] === "string" && claims[name] !== "" ? (claims[name] as string) : undefined;

/** The refs a CI job building this artifact runs on (GitHub, GitLab and CircleCI spellings). */
function acceptableRefs(version: BuiltFrom, claims: Record<string, unknown>): string[] {
  if (version.event === "tag") return version.tag ? [`refs/tags/${version.tag}`] : [];
  const branch = version.branch ? [`refs/heads/${version.branch}`] : [];
  if (version.event === "push") return branch;
  const pr = version.prNumber;
  return [
    ...branch,
    ...(pr
      ? [
          `refs/pull/${pr}/merge`,
          `refs/pull/${pr}/head`,
          `refs/merge-requests/${pr}/head`,
          `refs/merge-requests/${pr}/merge`,
        ]
      : []),
    // pull_request_target jobs run on the base branch; only they may use it
    ...(version.targetBranch && claim(claims, "event_name") === "pull_request_target"
      ? [`refs/heads/${version.targetBranch}`]
      : []),
  ];
}

/** A GitHub PR job's token names the PR's head and base branches: the artifact must name the same. */
function prBranchesMismatch(version: BuiltFrom, claims: Record<string, unknown>): string | undefined {
  if (version.event !== "pr") return undefined;
  const head = claim(claims, "head_ref");
  const base = claim(claims, "base_ref");
  if (head && version.branch !== head)
    return `the token's PR head branch is ${head}, not ${version.branch ?? "(none)"}`;
  if (base && version.targetBranch && version.targetBranch !== base)
    return `the token's PR base branch is ${base}, not ${version.targetBranch}`;
  return undefined;
}

/**
 * A job's OIDC token names the ref it runs on; the artifact must claim that ref, so a job on a feature branch can't
 * ship an artifact that says "push to main" and ride the production policy past branch protection.
 * API tokens (no ref) and tokens without a ref claim are not bound.
 */
export function authorizeRef(caller: CallerIdentity, version: BuiltFrom): void {
  if (caller.kind !== "oidc" || !caller.ref) return;
  const mismatch = prBranchesMismatch(version, caller.claims);
  if (mismatch) throw forbidden("ref_forbidden", `the token was issued for a job on ${caller.ref}; ${mismatch}`);
  const refs = acceptableRefs(version, caller.claims);
  if (refs.includes(caller.ref)) return;
  const claimed =
    version.event === "tag"
      ? `tag ${version.tag ?? "(none)"}`
      : version.event === "pr"
        ? `PR #${version.prNumber ?? "?"} from ${version.branch ?? "?"}`
        : `push to ${version.branch ?? "(none)"}`;
  throw forbidden(
    "ref_forbidden",
    `the token was issued for a job on ${caller.ref}; it can't ship an artifact for a ${claimed}`,
  );
}
