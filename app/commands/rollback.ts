import { ConfigError, Conflict } from "../../shared/errors.js";
import { releaseOwner, rollbackTarget } from "../../shared/gitops/index.js";
import { rollbackRelease } from "../releases/rollback.js";
import {
  authorize,
  type CommandRunner,
  deploymentOfComment,
  gitopsTarget,
  knownEnv,
  openSameRepoPullRequest,
} from "./context.js";
import { Refusal } from "./outcome.js";
import { helpText } from "./reply.js";

/** `/gimlet rollback <env> [app] [to <gitopsSha>]`: the apps this repository has live in the env are the choices. */
export const rollbackCommand: CommandRunner<"rollback"> = async (ctx, command) => {
  const config = await ctx.services.configs.get(ctx.repository);
  await openSameRepoPullRequest(ctx);
  const env = knownEnv(config, command.env, "rollback");
  await authorize(ctx, config, env);
  const history = await ctx.services.deps.writer.history({ ...gitopsTarget(config, env), limit: 500 });
  const newest = new Map<string, (typeof history)[number]>();
  for (const entry of history) if (!newest.has(entry.app)) newest.set(entry.app, entry);
  const mine = [...newest.values()]
    .filter((e) => e.type !== "delete" && releaseOwner(e) === ctx.repository.toLowerCase())
    .map((e) => e.app)
    .sort();
  let app = command.app;
  if (app === undefined) {
    if (mine.length !== 1 || !mine[0])
      throw new Refusal(
        mine.length ? "app_required" : "unknown_app",
        mine.length
          ? `${ctx.repository} has several apps in \`${env}\`; name one: ${mine.map((a) => `\`${a}\``).join(", ")}`
          : `${ctx.repository} has no app in \`${env}\` to roll back`,
      );
    app = mine[0];
  } else if (!mine.includes(app)) {
    throw new Refusal(
      "unknown_app",
      `${ctx.repository} has no app \`${app}\` in \`${env}\`\n\n${helpText([env], mine)}`,
    );
  }
  // The writer chooses again at the head of its queue; choosing here refuses before any reply or deployment.
  try {
    rollbackTarget(
      history.filter((e) => e.app === app),
      `${env}/${app}`,
      command.to,
    );
  } catch (error) {
    if (error instanceof ConfigError)
      throw new Refusal("no_rollback_target", `can't roll back \`${env}/${app}\`: ${error.message}`);
    throw error;
  }
  const existing = await deploymentOfComment(ctx, {});
  if (existing)
    return {
      decision: "done",
      reasonCode: "already_handled",
      message: `this comment already started [deployment ${existing.id}](${existing.url})`,
    };
  const chosenApp = app;
  const target = command.to ?? "the previous release";
  return {
    release: {
      view: {
        verb: "rollback",
        env,
        app: chosenApp,
        sha: command.to ?? "",
        state: "queued",
        gitopsRepository: gitopsTarget(config, env).repo,
      },
      async start(replyId) {
        let started: Awaited<ReturnType<typeof rollbackRelease>>;
        try {
          started = await rollbackRelease(ctx.services.deps, {
            repository: ctx.repository,
            config,
            env,
            app: chosenApp,
            to: command.to,
            actor: ctx.comment.author,
            payload: { commentId: ctx.comment.id, replyId, prNumber: ctx.issueNumber },
          });
        } catch (error) {
          if (error instanceof Conflict) throw new Refusal("not_owner", error.message);
          if (error instanceof ConfigError)
            throw new Refusal("no_rollback_target", `can't roll back to ${target}: ${error.message}`);
          throw error;
        }
        return {
          view: {
            verb: "rollback",
            env,
            app: chosenApp,
            sha: started.rolledBackTo,
            state: "queued",
            gitopsRepository: gitopsTarget(config, env).repo,
            deploymentUrl: (await started.reported)?.url,
          },
          pushed: started.pushed,
        };
      },
    },
  };
};
