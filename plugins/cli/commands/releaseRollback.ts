import { apiClient, repositoryOption, serverOptions } from "../client.js";
import { type Command, EXIT, emit, outputOption, presentStrings, requireStrings } from "../command.js";
import { waitForReleases, waitOptions } from "../wait.js";

export const releaseRollback: Command = {
  path: ["release", "rollback"],
  summary: "Roll an app back to its previous (or a given) release through the server; the result is pinned",
  usage: "release rollback --env E --app A [--to GITOPS_SHA] [--repository o/r] [--wait] [-o json]",
  options: {
    env: { type: "string", description: "the environment", valueName: "E" },
    app: { type: "string", description: "the app", valueName: "A" },
    to: { type: "string", description: "the gitops commit of the release to restore", valueName: "GITOPS_SHA" },
    repository: repositoryOption,
    ...serverOptions,
    ...waitOptions,
    output: outputOption,
  },
  async run(ctx) {
    const { env, app } = requireStrings(ctx, ["env", "app"]);
    const client = apiClient(ctx);
    const { body } = await client.request<{ trackingId: string; rolledBackTo: string }>("POST", "/api/rollbacks", {
      env,
      app,
      ...presentStrings(ctx, ["to", "repository"]),
    });
    const [tracked] = ctx.options.wait
      ? await waitForReleases(ctx, client, [{ env, app, trackingId: body.trackingId }])
      : [undefined];
    const result = { ...body, ...(tracked ? { status: tracked.status, gitopsSha: tracked.gitopsSha } : {}) };
    emit(
      ctx,
      result,
      () =>
        `${env}/${app} rolled back to ${body.rolledBackTo.slice(0, 7)}${tracked ? `: ${tracked.status}` : ""} (pinned; tracking ${body.trackingId})\n`,
    );
    return EXIT.ok;
  },
};
