import { type Command, EXIT, emit, outputOption } from "../command.js";
import { actorOf, actorOption, gitopsOptions, gitopsTarget, withWriter } from "../gitops.js";

export const gitopsUnlock: Command = {
  path: ["gitops", "unlock"],
  summary: "Unlock an environment",
  usage: "gitops unlock --repo URL|PATH [--branch main] [--path DIR] --env E [-o json]",
  options: { ...gitopsOptions, actor: actorOption, output: outputOption },
  async run(ctx) {
    const target = gitopsTarget(ctx);
    const outcome = await withWriter((writer) => writer.unlock({ ...target, by: actorOf(ctx) }));
    const result = { env: target.env, locked: false, decision: outcome.decision, gitopsSha: outcome.gitopsSha };
    emit(
      ctx,
      result,
      () =>
        `${target.env} unlocked (${outcome.decision === "unchanged" ? "it was not locked" : `${outcome.decision} ${outcome.gitopsSha.slice(0, 7)}`})\n`,
    );
    return EXIT.ok;
  },
};
