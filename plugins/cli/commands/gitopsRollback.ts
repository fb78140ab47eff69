import { type Command, EXIT, emit, outputOption, requiredString } from "../command.js";
import { actorOf, actorOption, gitopsOptions, gitopsTarget, outcomeJson, progress, withWriter } from "../gitops.js";

export const gitopsRollback: Command = {
  path: ["gitops", "rollback"],
  summary: "Restore an app's folder from an earlier release as a new, pinned commit",
  usage: "gitops rollback --repo URL|PATH [--branch main] [--path DIR] --env E --app A [--to GITOPS_SHA] [-o json]",
  description:
    "Default target: the release before the current one. The restored release is pinned: policy deploys skip it until an explicit deploy. " +
    "Never a git revert, so later deploys of other apps can't make it conflict.",
  options: {
    ...gitopsOptions,
    app: { type: "string", description: "the app", valueName: "A" },
    to: { type: "string", description: "the gitops commit of the release to restore", valueName: "GITOPS_SHA" },
    actor: actorOption,
    output: outputOption,
  },
  examples: [
    "gimlet gitops rollback --repo ../gitops --env staging --app shop",
    "gimlet gitops rollback --repo ../gitops --env staging --app shop --to 3f2a1b0",
  ],
  async run(ctx) {
    const target = gitopsTarget(ctx);
    const app = requiredString(ctx, "app", "the app to roll back");
    progress(ctx, `rolling back ${target.env}/${app}…`);
    const outcome = await withWriter((writer) =>
      writer.rollback({ ...target, app, to: ctx.options.to as string | undefined, actor: actorOf(ctx) }),
    );
    const result = { ...outcomeJson(outcome), rolledBackTo: outcome.rolledBackTo };
    emit(
      ctx,
      result,
      () =>
        `${result.env}/${result.app} rolled back to ${result.rolledBackTo.slice(0, 7)}: ${result.decision} ${result.gitopsSha.slice(0, 7)} (pinned)\n`,
    );
    return EXIT.ok;
  },
};
