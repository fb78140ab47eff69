/**
 * The one closed set of outcome and reason codes every surface shows: the policy, the gitops writer, the API's
 * answers, the check run, the CLI's `-o json`. Each code has the human sentence README's "Reason codes" table
 * repeats (a test checks it does). To add a code: append it at the end of its list, with its sentence, and add a row
 * to README's table.
 */

/** What happened to a release, from the policy's decision to the cluster: one vocabulary for all of it. */
export const OUTCOMES = {
  queued: "a release was started; its gitops commit is on its way",
  skipped: "no release: the policy or the configuration says not to deploy",
  committed: "the gitops commit is pushed",
  unchanged: "the gitops repository already holds this; no commit was needed",
  applied: "Flux applied the commit to the cluster",
  healthy: "the cluster agent reports the rollout healthy",
  refused: "a lock, a pin or an ownership rule refused the release",
  failed: "the release failed; the message says why",
} as const;

export type Outcome = keyof typeof OUTCOMES;

/** Why: each decision, write and refusal names one of these. Flat and append-only. */
export const REASONS = {
  matched: "the artifact matches the manifest's deploy policy",
  no_policy: "the manifest has no deploy policy, so it is deployed only by hand",
  event_mismatch: "the artifact's event (push, tag, pr) is not the one the policy names",
  branch_mismatch: "the artifact's branch does not match the policy's branch pattern",
  tag_missing: "the policy deploys tags and the artifact has no tag",
  tag_mismatch: "the artifact's tag does not match the policy's tag pattern",
  message_mismatch: "the commit message matches none of the policy's commitMessagePatterns",
  preview_needs_pr: "a preview manifest deploys only artifacts of pull requests",
  locked: "the environment is locked",
  pinned: "the app is pinned by a rollback; an explicit deploy unpins it",
  invalid_manifest: "the manifest is invalid or does not render for this artifact",
  unknown_env: "the environment is not configured in .github/gimlet.yml",
  release_failed: "the release could not start (GitHub refused the deployment, or another error)",
  policy_denied: "the server refused the release: a lock, a pin or a permission",
  cleanup: "the cleanup policy matches the deleted branch or closed pull request",
  preview_cleanup: "the preview of a closed pull request is removed",
  no_cleanup_policy: "the manifest has no cleanup policy",
  preview_unknown_pr: "the preview's pull request number is not known, so it can't be named",
  deployed: "the release is committed to the gitops repository",
  already_deployed: "the gitops repository already holds these files",
  deleted: "the app's folder is deleted from the gitops repository",
  not_deployed: "there was no folder to delete",
  already_locked: "the environment was already locked",
  unlocked: "the environment lock is removed",
  not_locked: "the environment was not locked",
  rolled_back: "the app is restored to an earlier release and pinned",
  already_rolled_back: "the app already runs that release",
  missing_token: "the request has no Authorization header",
  malformed_token: 'the Authorization header is not "Bearer <token>"',
  untrusted_issuer: "the OIDC token comes from an issuer this server does not trust",
  alg_not_allowed: "the token is signed with an algorithm this server does not accept",
  bad_signature: "the token's signature does not verify",
  unknown_key: "the token is signed with a key its issuer does not publish",
  bad_audience: "the token is for another audience",
  expired: "the token has expired",
  not_yet_valid: "the token is not valid yet",
  invalid_claims: "the token's claims are missing or malformed",
  no_repository: "the token names no repository it could be bound to",
  unknown_token: "the API token is unknown or revoked",
  repository_forbidden: "the caller may not act on this repository",
  environment_forbidden: "the caller's API token may not release to this environment (its environments)",
  ref_forbidden: "the caller's job ran on a ref that may not deploy this",
  bad_hmac: "the Flux event's X-Signature is missing or does not match its body",
  branch_not_allowed:
    "the artifact's ref may not be deployed to this environment by policy (its branches, or production's default branch)",
  repository_not_allowed: "the repository may not deploy to this environment (its repositories)",
  object_not_allowed: "a rendered object is cluster-scoped or in a namespace the environment does not allow",
  revision_not_on_branch: "the Flux event's revision is not a commit of that gitops repository's branch",
  release_not_committed: "not confirmed in time: no gitops commit was pushed for this release",
  release_not_applied: "not confirmed in time: Flux never reported applying the release's commit",
  rollout_not_reported: "Flux applied the commit, but the cluster agent reported no rollout in time",
  unchanged_not_confirmed: "not confirmed in time: the earlier release with the same content was never confirmed",
  unchanged_confirmed: "a re-deploy of unchanged content takes the ending of the earlier release with that content",
  unknown_command: "the comment names no gimlet command; the reply lists them",
  bad_arguments: "the command's arguments are not what it takes; the reply shows its usage",
  not_a_pull_request: "commands work on pull requests only, not on issues",
  fork_pr: "commands are refused on pull requests from forks",
  pr_closed: "the pull request is merged or closed; commands need an open one",
  no_permission: "the commenter needs write, maintain or admin access to the repository",
  not_a_deployer: "the environment names its deployers, and this person is not one of them",
  env_required: "name the environment: production environments are never chosen for you",
  unknown_app: "the environment has no app of that name from this repository",
  app_required: "the environment has several apps from this repository; name one",
  no_artifact: "CI has not shipped an artifact for the pull request's head commit yet",
  stale_head: "the pull request's head moved after the comment was written; nothing was deployed",
  no_rollback_target: "there is no earlier release to roll back to",
  not_owner: "the app's folder belongs to another repository",
  invalid_config: "the repository's .github/gimlet.yml is missing or invalid",
  command_failed: "another operation was in the way; the reply says which",
  help: "the reply lists the commands, environments and apps",
  status: "the reply shows each environment's apps, versions, locks and pins",
  env_locked: "the environment is locked by this command",
  env_unlocked: "the environment's lock is removed by this command",
  already_handled: "another delivery of the same comment or button press already handled it",
  deploy_started: "the button started a release",
  artifact_not_stored_yet:
    "the artifact was accepted moments ago and its file is not on GitHub yet; ask again after Retry-After",
} as const;

export type ReasonCode = keyof typeof REASONS;

/** A subset of the reason codes, checked against the closed set: `ReasonCodeOf<"locked" | "pinned">`. */
export type ReasonCodeOf<T extends ReasonCode> = T;

/** A subset of the outcomes, checked against the closed set. */
export type OutcomeOf<T extends Outcome> = T;

export function isReasonCode(value: string): value is ReasonCode {
  return Object.hasOwn(REASONS, value);
}

/** The outcome of a policy decision, before anything is pushed. */
export function decisionOutcome(decision: { deploy: boolean; reasonCode: ReasonCode }): Outcome {
  if (decision.deploy) return "queued";
  return decision.reasonCode === "invalid_manifest" || decision.reasonCode === "release_failed" ? "failed" : "skipped";
}
