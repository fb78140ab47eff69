import { type Command, EXIT, emit, outputOption } from "../command.js";
import { actorOf, actorOption, gitopsOptions, gitopsTarget, withWriter } from "../gitops.js";

export const gitopsLock: Command = {
  path: ["gitops", "lock"],
  summary: "Lock an environment: policy deploys stop until it is unlocked",
  usage: "gitops lock --repo URL|PATH [--branch main] [--path DIR] --env E [--reason R] [-o json]",
  options: {
    ...gitopsOptions,
    reason: { type: "string", description: "why, shown wherever the lock blocks a deploy", valueName: "R" },
    actor: actorOption,
    output: outputOption,
  },
  examples: ['gimlet gitops lock --repo ../gitops --env production --reason "release freeze"'],
  async run(ctx) {
    const target = gitopsTarget(ctx);
    const by = actorOf(ctx);
    const outcome = await withWriter((writer) =>
      writer.lock({ ...target, by, reason: ctx.options.reason as string | undefined }),
    );
    const result = { env: target.env, locked: true, by, decision: outcome.decision, gitopsSha: outcome.gitopsSha };
    emit(ctx, result, () => `${target.env} locked by ${by} (${outcome.decision} ${outcome.gitopsSha.slice(0, 7)})\n`);
    return EXIT.ok;
  },
};
