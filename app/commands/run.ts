import { type Command, parseCommand } from "../../shared/commands/index.js";
import { ConfigError, GimletError, Transient, toError } from "../../shared/errors.js";
import type { PushOutcome } from "../releases/release.js";
import { type AppServices, track } from "../services.js";
import type { CommandContext, CommandResult, CommandRunner } from "./context.js";
import { deployCommand } from "./deploy.js";
import { lockCommand, unlockCommand } from "./lock.js";
import { type CommandOutcome, Refusal } from "./outcome.js";
import { helpText, outcomeReply, type ReleaseView, releaseReply } from "./reply.js";
import { rollbackCommand } from "./rollback.js";
import { statusCommand } from "./status.js";

const helpCommand: CommandRunner<"help"> = async (ctx) => {
  const envs = await ctx.services.configs
    .get(ctx.repository)
    .then((config) => Object.keys(config.environments))
    .catch(() => []);
  return { decision: "done", reasonCode: "help", message: helpText(envs) };
};

/** Every command, explicitly (DESIGN §12: registries are arrays/tables, never import side effects). */
const commandRunners: { [K in Exclude<Command["kind"], "invalid">]: CommandRunner<K> } = {
  deploy: deployCommand,
  rollback: rollbackCommand,
  lock: lockCommand,
  unlock: unlockCommand,
  status: statusCommand,
  help: helpCommand,
};

async function dispatch(ctx: CommandContext, command: Command): Promise<CommandResult> {
  if (command.kind === "invalid") {
    const envs = await ctx.services.configs
      .get(ctx.repository)
      .then((config) => Object.keys(config.environments))
      .catch(() => []);
    throw new Refusal(command.reasonCode, `${command.message}\n\n${helpText(envs)}`);
  }
  const runner = commandRunners[command.kind] as CommandRunner<typeof command.kind>;
  return runner(ctx, command as never);
}

export interface CommentInput {
  repository: string;
  issueNumber: number;
  isPullRequest: boolean;
  comment: { id: number; body: string; createdAt: string; author: string; authorIsBot: boolean };
}

/** What happened to a comment, for logs and tests. */
export type CommentResult =
  | { handled: false; why: "not_a_command" | "not_a_pull_request" | "bot" | "commands_off" | "claimed_elsewhere" }
  | { handled: true; outcome: CommandOutcome | { decision: "started"; reasonCode: string } };

/**
 * Answer a `/gimlet` comment: claim it with 👀 (GitHub keeps one reaction per user and content, so exactly one
 * delivery on one replica wins the claim), run the command, answer in one reply, end with 🚀 or 😕. A release's
 * reply is edited as the release moves. A claim whose handling crashed is released, so a redelivery runs again.
 */
export async function answerComment(services: AppServices, input: CommentInput): Promise<CommentResult> {
  const command = parseCommand(input.comment.body);
  if (!command) return { handled: false, why: "not_a_command" };
  if (!input.isPullRequest) return { handled: false, why: "not_a_pull_request" };
  if (input.comment.authorIsBot) return { handled: false, why: "bot" };
  const conversation = services.conversation;
  if (!conversation) return { handled: false, why: "commands_off" };
  const { repository, comment } = input;
  const claim = await conversation.addReaction(repository, comment.id, "eyes");
  if (!claim.created) return { handled: false, why: "claimed_elsewhere" };
  const ctx: CommandContext = {
    services,
    conversation,
    log: services.log,
    repository,
    issueNumber: input.issueNumber,
    comment,
    firstLine:
      comment.body
        .replace(/^\uFEFF/, "")
        .split(/\r?\n/, 1)[0]
        ?.trim() ?? "",
  };
  const finish = async (outcome: CommandOutcome): Promise<CommentResult> => {
    await conversation.createComment(
      repository,
      input.issueNumber,
      outcomeReply(comment.id, ctx.firstLine, comment.author, outcome),
    );
    await react(ctx, outcome.decision === "done" ? "rocket" : "confused");
    services.log.info({ command: command.kind, reasonCode: outcome.reasonCode }, `command ${outcome.decision}`);
    return { handled: true, outcome };
  };
  let result: CommandResult;
  try {
    result = await dispatch(ctx, command);
  } catch (error) {
    if (error instanceof Refusal)
      return finish({ decision: "refused", reasonCode: error.reasonCode, message: error.message });
    // The repository's own problem (no or a broken .github/gimlet.yml, a conflict): answered, not retried.
    if (error instanceof GimletError && !(error instanceof Transient))
      return finish({
        decision: "failed",
        reasonCode: error instanceof ConfigError ? "invalid_config" : "command_failed",
        message: error.message,
      });
    // Not ours to answer now (GitHub or git failing): free the claim so GitHub's redelivery runs the command again.
    await conversation.removeReaction(repository, comment.id, claim.id).catch(() => undefined);
    throw error;
  }
  if (!("release" in result)) return finish(result);
  const pending = result.release;
  const reply = await conversation.createComment(
    repository,
    input.issueNumber,
    releaseReply(comment.id, ctx.firstLine, comment.author, pending.view),
  );
  const edit = (view: ReleaseView) =>
    conversation.updateComment(repository, reply.id, releaseReply(comment.id, ctx.firstLine, comment.author, view));
  let started: Awaited<ReturnType<typeof pending.start>>;
  try {
    started = await pending.start(reply.id);
  } catch (error) {
    const refused = error instanceof Refusal;
    const outcome: CommandOutcome = {
      decision: refused ? "refused" : "failed",
      reasonCode: refused ? error.reasonCode : "release_failed",
      message: toError(error).message,
    };
    await conversation.updateComment(
      repository,
      reply.id,
      outcomeReply(comment.id, ctx.firstLine, comment.author, outcome),
    );
    await react(ctx, "confused");
    if (!refused && !(error instanceof GimletError)) throw error;
    return { handled: true, outcome };
  }
  // Commit first: the deployment (its link in started.view) exists once the push is done, so the reply is edited
  // once, to the push's outcome with every link, not first to `queued` with the deployment link.
  track(services, followRelease(ctx, started.view, started.pushed, edit));
  return { handled: true, outcome: { decision: "started", reasonCode: `${command.kind}_started` } };
}

/** Edit the reply once the gitops commit is pushed (or failed), and end with 🚀 or 😕. */
async function followRelease(
  ctx: CommandContext,
  view: ReleaseView,
  pushed: Promise<PushOutcome>,
  edit: (view: ReleaseView) => Promise<void>,
): Promise<void> {
  const outcome = await pushed;
  const failed = outcome.decision === "failed" || outcome.decision === "refused";
  const gitops = outcome.gitopsSha
    ? {
        gitopsSha: outcome.gitopsSha,
        gitopsUrl: ctx.services.deps.remote.commitUrl(view.gitopsRepository ?? "", outcome.gitopsSha),
      }
    : {};
  try {
    await edit({
      ...view,
      ...gitops,
      state: failed ? "failed" : outcome.decision === "unchanged" ? "already deployed" : "committed",
      message: failed ? outcome.message : outcome.decision === "committed" ? "waiting for Flux to apply it" : undefined,
    });
    await react(ctx, failed ? "confused" : "rocket");
  } catch (error) {
    ctx.log.warn({ err: error }, "could not report the command's release");
  }
}

async function react(ctx: CommandContext, content: "rocket" | "confused"): Promise<void> {
  await ctx.conversation
    .addReaction(ctx.repository, ctx.comment.id, content)
    .catch((error) => ctx.log.warn({ err: error, content }, "could not react to the command"));
}
