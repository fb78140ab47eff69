import { apiClient, repositoryOption, serverOptions } from "../client.js";
import { type Command, EXIT, emit, outputOption, presentStrings, requireStrings } from "../command.js";
import { timeoutSeconds, waitForReleases, waitOptions } from "../wait.js";

export const releaseMake: Command = {
  path: ["release", "make"],
  summary: "Release a stored artifact to an environment through the server (no policy check)",
  usage: "release make --env E --artifact-id ID [--app A] [--repository o/r] [--wait] [-o json]",
  options: {
    env: { type: "string", description: "the environment", valueName: "E" },
    "artifact-id": { type: "string", description: "the artifact id the server gave out", valueName: "ID" },
    app: { type: "string", description: "only this app", valueName: "A" },
    repository: repositoryOption,
    ...serverOptions,
    ...waitOptions,
    output: outputOption,
  },
  async run(ctx) {
    const { env, "artifact-id": artifactId } = requireStrings(ctx, ["env", "artifact-id"]);
    const client = apiClient(ctx);
    const { body } = await client.request<{
      trackingId: string;
      releases: Array<{ env: string; app: string; trackingId: string }>;
    }>(
      "POST",
      "/api/releases",
      { env, artifactId, ...presentStrings(ctx, ["app", "repository"]) },
      // an artifact shipped moments ago may not be stored yet (503 artifact_not_stored_yet): ask until --timeout
      { retryForMs: timeoutSeconds(ctx) * 1000 },
    );
    const tracked = ctx.options.wait ? await waitForReleases(ctx, client, body.releases) : body.releases;
    emit(ctx, tracked, () =>
      tracked
        .map((r) => `${r.env}/${r.app}: ${"status" in r ? r.status : "queued"} (tracking ${r.trackingId})\n`)
        .join(""),
    );
    return EXIT.ok;
  },
};
