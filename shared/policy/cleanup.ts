import { ConfigError } from "../errors.js";
import type { CleanupEvent, Manifest } from "../manifest/schema.js";
import type { ReasonCodeOf } from "../outcomes.js";
import { renderString } from "../template/index.js";
import { matchesGlob } from "./glob.js";
import { previewAppName } from "./preview.js";

export interface CleanupTrigger {
  event: CleanupEvent;
  /** The deleted branch, or the closed PR's head branch. */
  branch: string;
  prNumber?: number;
}

export type CleanupReasonCode = ReasonCodeOf<
  "cleanup" | "preview_cleanup" | "no_cleanup_policy" | "event_mismatch" | "branch_mismatch" | "preview_unknown_pr"
>;

export interface CleanupOutcome {
  cleanup: boolean;
  /** The app folder to delete, when `cleanup`. */
  app?: string;
  env: string;
  reasonCode: CleanupReasonCode;
  reason: string;
}

/**
 * Which app (if any) a branch deletion or PR close removes from this manifest's environment.
 * Previews always go with their PR; other manifests need a `cleanup` block whose event and branch glob match
 * (a negated glob like `!main` never fires for main). The `app` template sees BRANCH and PR_NUMBER.
 */
export function evaluateCleanupPolicy(manifest: Manifest, trigger: CleanupTrigger): CleanupOutcome {
  const env = manifest.env;
  const policy = manifest.cleanup;
  if (manifest.preview) {
    if (trigger.prNumber === undefined) {
      return {
        cleanup: false,
        env,
        reasonCode: "preview_unknown_pr",
        reason: `branch ${trigger.branch} has no known PR, so no preview to remove`,
      };
    }
    if (!policy?.branch || matchesGlob(policy.branch, trigger.branch)) {
      const app = resolveApp(manifest, trigger, previewAppName(manifest.app, trigger.prNumber));
      return {
        cleanup: true,
        app,
        env,
        reasonCode: "preview_cleanup",
        reason: `PR #${trigger.prNumber} ${trigger.event === "prClosed" ? "closed" : "lost its branch"}: its preview goes`,
      };
    }
  }
  if (!policy || (policy.event === undefined && policy.branch === undefined && policy.app === undefined)) {
    return { cleanup: false, env, reasonCode: "no_cleanup_policy", reason: "no cleanup policy" };
  }
  if (policy.event !== undefined && policy.event !== trigger.event) {
    return {
      cleanup: false,
      env,
      reasonCode: "event_mismatch",
      reason: `the cleanup policy fires on ${policy.event}, not ${trigger.event}`,
    };
  }
  if (policy.branch !== undefined && !matchesGlob(policy.branch, trigger.branch)) {
    return {
      cleanup: false,
      env,
      reasonCode: "branch_mismatch",
      reason: `branch ${trigger.branch} does not match ${policy.branch}`,
    };
  }
  const app = resolveApp(manifest, trigger, policy.app ?? manifest.app);
  return {
    cleanup: true,
    app,
    env,
    reasonCode: "cleanup",
    reason: `${trigger.event === "prClosed" ? "PR closed" : "branch deleted"}: ${trigger.branch} matches the cleanup policy`,
  };
}

function resolveApp(manifest: Manifest, trigger: CleanupTrigger, template: string): string {
  const vars: Record<string, string> = { BRANCH: trigger.branch, ENV: manifest.env };
  if (trigger.prNumber !== undefined) vars.PR_NUMBER = String(trigger.prNumber);
  const app = renderString(template, vars, { path: "cleanup.app" });
  if (!app) throw ConfigError.at("cleanup.app", "rendered to an empty app name");
  return app;
}

const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/** `72h`, `1d12h`, `30m` → milliseconds. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+)([wdhms])/g)];
  if (!parts.length || parts.map((p) => p[0]).join("") !== text)
    throw ConfigError.at("cleanup.ttl", `${text} is not a duration like 72h, 30m or 7d`);
  return parts.reduce((sum, [, n, unit = ""]) => {
    const ms = UNIT_MS[unit];
    if (ms === undefined) throw ConfigError.at("cleanup.ttl", `${text}: unknown unit ${unit}`);
    return sum + Number(n) * ms;
  }, 0);
}

/** A preview whose last commit is older than its `cleanup.ttl` is due for removal. */
export function previewExpired(manifest: Manifest, lastDeployedAt: Date, now: Date): boolean {
  const ttl = manifest.cleanup?.ttl;
  if (!manifest.preview || !ttl) return false;
  return now.getTime() - lastDeployedAt.getTime() >= parseDuration(ttl);
}
