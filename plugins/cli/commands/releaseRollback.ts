import { ConfigError } from "../../../shared/errors.js";
import { apiClient, serverOptions } from "../client.js";
import { EXIT, emit, outputOption, type Command } from "../command.js";
import { waitForReleases, waitOptions } from "../wait.js";

export const releaseRollback: Command = {
  path: ["release", "rollback"],
  summary: "Roll an app back to its previous (or a given) release through the server; the result is pinned",
  usage: "release rollback --env E --app A [--to GITOPS_SHA] [--repository o/r] [--wait] [-o json]",
  options: {
    env: { type: "string", description: "the environment", valueName: "E" },
    app: { type: "string", description: "the app", valueName: "A" },
    to: { type: "string", description: "the gitops commit of the release to restore", valueName: "GITOPS_SHA" },
    repository: { type: "string", description: "owner/repo (needed with an API token)", valueName: "o/r" },
    ...serverOptions,
    ...waitOptions,
    output: outputOption,
  },
  async run(ctx) {
    const env = ctx.options.env as string | undefined;
    const app = ctx.options.app as string | undefined;
    if (!env || !app) throw ConfigError.of([!env && { path: "--env", message: "required" }, !app && { path: "--app", message: "required" }].filter(Boolean) as Array<{ path: string; message: string }>);
    const client = apiClient(ctx);
    const { body } = await client.request<{ trackingId: string; rolledBackTo: string }>("POST", "/api/rollbacks", {
      env,
      app,
      ...(ctx.options.to ? { to: ctx.options.to } : {}),
      ...(ctx.options.repository ? { repository: ctx.options.repository } : {}),
    });
    const [tracked] = ctx.options.wait ? await waitForReleases(ctx, client, [{ env, app, trackingId: body.trackingId }]) : [undefined];
    const result = { ...body, ...(tracked ? { status: tracked.status, gitopsSha: tracked.gitopsSha } : {}) };
    emit(ctx, result, () => `${env}/${app} rolled back to ${body.rolledBackTo.slice(0, 7)}${tracked ? `: ${tracked.status}` : ""} (pinned; tracking ${body.trackingId})\n`);
    return EXIT.ok;
  },
};
