import { apiClient, repositoryOption, serverOptions } from "../client.js";
import { type Command, EXIT, emit, outputOption, presentStrings, requireStrings } from "../command.js";
import { table } from "../table.js";

interface Entry {
  type: string;
  app: string;
  gitopsSha: string;
  created: string;
  version?: { sha?: string; branch?: string; tag?: string };
  triggeredBy?: string;
  rolledBack: boolean;
  pinned?: boolean;
}

export const releaseList: Command = {
  path: ["release", "list"],
  summary: "The release log of an environment, from the server",
  usage: "release list --env E [--app A] [--limit N] [--repository o/r] [-o json]",
  options: {
    env: { type: "string", description: "the environment", valueName: "E" },
    app: { type: "string", description: "only this app", valueName: "A" },
    limit: { type: "string", description: "at most N entries (default 20)", valueName: "N" },
    repository: repositoryOption,
    ...serverOptions,
    output: outputOption,
  },
  async run(ctx) {
    const { env } = requireStrings(ctx, ["env"]);
    const query = new URLSearchParams({ env, ...presentStrings(ctx, ["app", "limit", "repository"]) });
    const { body } = await apiClient(ctx).request<Entry[]>("GET", `/api/releases?${query}`);
    emit(ctx, body, () =>
      table(
        ["CREATED", "TYPE", "APP", "GITOPS SHA", "VERSION", "BY", "NOTE"],
        body.map((e) => [
          e.created.replace(/\.\d+Z$/, "Z"),
          e.type,
          e.app,
          e.gitopsSha.slice(0, 7),
          `${e.version?.sha?.slice(0, 7) ?? ""} ${e.version?.tag ?? e.version?.branch ?? ""}`.trim(),
          e.triggeredBy ?? "",
          [e.rolledBack ? "rolled back" : "", e.pinned ? "pinned" : ""].filter(Boolean).join(", "),
        ]),
      ),
    );
    return EXIT.ok;
  },
};
