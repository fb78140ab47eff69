import { ConfigError } from "../../../shared/errors.js";
import { apiClient, serverOptions } from "../client.js";
import { EXIT, emit, outputOption, type Command } from "../command.js";
import { waitForReleases, waitOptions } from "../wait.js";

export const releaseMake: Command = {
  path: ["release", "make"],
  summary: "Release a stored artifact to an environment through the server (no policy check)",
  usage: "release make --env E --artifact-id ID [--app A] [--repository o/r] [--wait] [-o json]",
  options: {
    env: { type: "string", description: "the environment", valueName: "E" },
    "artifact-id": { type: "string", description: "the artifact id the server gave out", valueName: "ID" },
    app: { type: "string", description: "only this app", valueName: "A" },
    repository: { type: "string", description: "owner/repo (needed with an API token)", valueName: "o/r" },
    ...serverOptions,
    ...waitOptions,
    output: outputOption,
  },
  async run(ctx) {
    const env = ctx.options.env as string | undefined;
    const artifactId = ctx.options["artifact-id"] as string | undefined;
    if (!env || !artifactId) throw ConfigError.of([!env && { path: "--env", message: "required" }, !artifactId && { path: "--artifact-id", message: "required" }].filter(Boolean) as Array<{ path: string; message: string }>);
    const client = apiClient(ctx);
    const { body } = await client.request<{ trackingId: string; releases: Array<{ env: string; app: string; trackingId: string }> }>("POST", "/api/releases", {
      env,
      artifactId,
      ...(ctx.options.app ? { app: ctx.options.app } : {}),
      ...(ctx.options.repository ? { repository: ctx.options.repository } : {}),
    });
    const tracked = ctx.options.wait ? await waitForReleases(ctx, client, body.releases) : body.releases;
    emit(ctx, tracked, () => tracked.map((r) => `${r.env}/${r.app}: ${"status" in r ? r.status : "queued"} (tracking ${r.trackingId})\n`).join(""));
    return EXIT.ok;
  },
};
