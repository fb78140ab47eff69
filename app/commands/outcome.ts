/**
 * What a command did, as its reply shows it (DESIGN §12: every operation returns a structured outcome). Refusals are
 * thrown as `Refusal` by the checks and caught once, so one command answers once.
 */
export type CommandDecision = "done" | "refused" | "failed";

/** Every reason code a command's reply can carry. */
export type CommandReasonCode =
  // refusals: nothing written to a gitops repo, no deployment created
  | "unknown_command"
  | "bad_arguments"
  | "not_a_pull_request"
  | "fork_pr"
  | "pr_closed"
  | "no_permission"
  | "not_a_deployer"
  | "unknown_env"
  | "env_required"
  | "unknown_app"
  | "app_required"
  | "no_artifact"
  | "stale_head"
  | "locked"
  | "invalid_manifest"
  | "no_rollback_target"
  | "not_owner"
  | "not_locked"
  // failed: the repository's configuration, or another operation in the way
  | "invalid_config"
  | "command_failed"
  // done
  | "help"
  | "status"
  | "deploy_started"
  | "rollback_started"
  | "env_locked"
  | "env_unlocked"
  | "already_handled"
  // a release that could not start
  | "release_failed";

export interface CommandOutcome {
  decision: CommandDecision;
  reasonCode: CommandReasonCode;
  /** Markdown, one paragraph or a table. */
  message: string;
}

/** A command refused by a check: the reason code and the sentence the reply shows. */
export class Refusal extends Error {
  constructor(
    readonly reasonCode: CommandReasonCode,
    message: string,
    /** Add the usage and the valid environments/apps to the reply. */
    readonly withHelp = false,
  ) {
    super(message);
    this.name = "Refusal";
  }
}
