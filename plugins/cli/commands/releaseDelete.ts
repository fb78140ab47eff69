import { apiClient, repositoryOption, serverOptions } from "../client.js";
import { type Command, EXIT, emit, outputOption, presentStrings, requireStrings } from "../command.js";

export const releaseDelete: Command = {
  path: ["release", "delete"],
  summary: "Remove an app from an environment through the server (its folder deleted, its deployments inactive)",
  usage: "release delete --env E --app A [--repository o/r] [-o json]",
  options: {
    env: { type: "string", description: "the environment", valueName: "E" },
    app: { type: "string", description: "the app", valueName: "A" },
    repository: repositoryOption,
    ...serverOptions,
    output: outputOption,
  },
  async run(ctx) {
    const { env, app } = requireStrings(ctx, ["env", "app"]);
    const client = apiClient(ctx);
    const params = new URLSearchParams({ env, app, ...presentStrings(ctx, ["repository"]) });
    const { body } = await client.request<{
      decision: string;
      reasonCode: string;
      gitopsSha?: string;
      message: string;
    }>("DELETE", `/api/releases?${params}`);
    emit(ctx, body, () => `${body.message}${body.gitopsSha ? ` (gitops ${body.gitopsSha.slice(0, 7)})` : ""}\n`);
    return EXIT.ok;
  },
};
