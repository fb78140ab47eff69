import {
  authorize,
  type CommandRunner,
  checkNotLockedByOther,
  gitopsTarget,
  knownEnv,
  openSameRepoPullRequest,
} from "./context.js";
import { Refusal } from "./outcome.js";

/** Where a comment's lock comes from: closing (or merging) this PR releases it. */
export const lockSource = (repository: string, prNumber: number) => `${repository}#${prNumber}`;

/** `/gimlet lock <env> [reason]`: the writer's env lock (DESIGN §7), recording the PR that took it. */
export const lockCommand: CommandRunner<"lock"> = async (ctx, command) => {
  const config = await ctx.services.configs.get(ctx.repository);
  const pr = await openSameRepoPullRequest(ctx);
  const env = knownEnv(config, command.env, "lock");
  await authorize(ctx, config, env);
  await checkNotLockedByOther(ctx, config, env);
  const outcome = await ctx.services.deps.writer.lock({
    ...gitopsTarget(config, env),
    by: ctx.comment.author,
    reason: command.reason,
    source: lockSource(ctx.repository, pr.number),
  });
  return {
    decision: "done",
    reasonCode: "env_locked",
    message: `🔒 \`${env}\` is locked by @${ctx.comment.author}${command.reason ? `: ${command.reason}` : ""} (gitops \`${outcome.gitopsSha.slice(0, 7)}\`). Policy deploys and other people's commands and buttons wait until \`/gimlet unlock ${env}\` or until this PR is merged or closed.`,
  };
};

/** `/gimlet unlock <env>`: anyone who may change the env may release its lock. */
export const unlockCommand: CommandRunner<"unlock"> = async (ctx, command) => {
  const config = await ctx.services.configs.get(ctx.repository);
  await openSameRepoPullRequest(ctx);
  const env = knownEnv(config, command.env, "unlock");
  await authorize(ctx, config, env);
  const target = gitopsTarget(config, env);
  const lock = await ctx.services.deps.writer.readLock(target);
  if (!lock) throw new Refusal("not_locked", `\`${env}\` is not locked`);
  const outcome = await ctx.services.deps.writer.unlock({ ...target, by: ctx.comment.author });
  return {
    decision: "done",
    reasonCode: "env_unlocked",
    message: `🔓 \`${env}\` is unlocked (it was locked by @${lock.by} since ${lock.created}${lock.reason ? `: ${lock.reason}` : ""}; gitops \`${outcome.gitopsSha.slice(0, 7)}\`).`,
  };
};
