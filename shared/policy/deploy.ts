import type { Version } from "../artifact/schema.js";
import type { DeployPolicy, Manifest } from "../manifest/schema.js";
import type { ReasonCodeOf } from "../outcomes.js";
import { matchesGlob } from "./glob.js";

export const DEPLOY_ALL_MARKER = "[DEPLOY: ALL]";

export type DeployReasonCode = ReasonCodeOf<
  | "matched"
  | "no_policy"
  | "event_mismatch"
  | "branch_mismatch"
  | "tag_missing"
  | "tag_mismatch"
  | "message_mismatch"
  | "preview_needs_pr"
  | "locked"
  | "pinned"
>;

export interface PolicyOutcome {
  deploy: boolean;
  reasonCode: DeployReasonCode;
  reason: string;
}

const no = (reasonCode: DeployReasonCode, reason: string): PolicyOutcome => ({ deploy: false, reasonCode, reason });

function describeEvent(version: Version): string {
  if (version.event === "tag") return `tag ${version.tag ?? "(none)"}`;
  if (version.event === "pr") return `PR #${version.prNumber ?? "?"} from ${version.branch ?? "?"}`;
  return `push to ${version.branch ?? "(no branch)"}`;
}

function isEmpty(policy: DeployPolicy | undefined): policy is undefined {
  return (
    !policy ||
    (policy.event === undefined &&
      policy.branch === undefined &&
      policy.tag === undefined &&
      !policy.commitMessagePatterns?.length)
  );
}

/** Does the commit message match the patterns? `[` and `]` are literal; `[DEPLOY: ALL]` matches any. */
export function commitMessageMatches(patterns: readonly string[], message: string | undefined): boolean {
  const text = message ?? "";
  if (text.includes(DEPLOY_ALL_MARKER)) return true;
  return patterns.some((pattern) => matchesGlob(pattern, text, { literalBrackets: true }));
}

/**
 * The deploy policy of DESIGN §5 for one manifest and one artifact version. Where Gimlet differs on purpose:
 * negated tag globs work (`!v1*`), an artifact without a tag never matches a tag policy, and a `branch`
 * without an `event` is rejected by the manifest schema instead of silently never matching.
 */
export function evaluateDeployPolicy(manifest: Manifest, version: Version): PolicyOutcome {
  const policy = manifest.deploy;
  const what = describeEvent(version);
  if (manifest.preview) {
    if (version.event !== "pr")
      return no("preview_needs_pr", `preview environments deploy PR artifacts only, not a ${what}`);
    if (isEmpty(policy)) return { deploy: true, reasonCode: "matched", reason: `${what} deploys a preview` };
  }
  if (isEmpty(policy)) return no("no_policy", "no deploy policy: this environment releases only on request");

  if (policy.event !== undefined && policy.event !== version.event) {
    return no("event_mismatch", `the policy deploys on ${policy.event} events, not on a ${what}`);
  }
  if (policy.branch !== undefined) {
    if (!version.branch || !matchesGlob(policy.branch, version.branch)) {
      return no("branch_mismatch", `branch ${version.branch ?? "(none)"} does not match ${policy.branch}`);
    }
  }
  if (policy.tag !== undefined) {
    if (!version.tag) return no("tag_missing", `the artifact has no tag; the policy wants tags matching ${policy.tag}`);
    if (!matchesGlob(policy.tag, version.tag))
      return no("tag_mismatch", `tag ${version.tag} does not match ${policy.tag}`);
  }
  const patterns = policy.commitMessagePatterns ?? [];
  if (patterns.length && !commitMessageMatches(patterns, version.message)) {
    return no(
      "message_mismatch",
      `the commit message matches none of ${patterns.map((p) => JSON.stringify(p)).join(", ")}`,
    );
  }
  return { deploy: true, reasonCode: "matched", reason: `${what} matches the deploy policy` };
}
