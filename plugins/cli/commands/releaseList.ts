import { ConfigError } from "../../../shared/errors.js";
import { apiClient, serverOptions } from "../client.js";
import { EXIT, emit, outputOption, type Command } from "../command.js";
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
    repository: { type: "string", description: "owner/repo (needed with an API token)", valueName: "o/r" },
    ...serverOptions,
    output: outputOption,
  },
  async run(ctx) {
    const env = ctx.options.env as string | undefined;
    if (!env) throw ConfigError.at("--env", "required: the environment");
    const query = new URLSearchParams({ env });
    for (const name of ["app", "limit", "repository"]) if (typeof ctx.options[name] === "string") query.set(name, ctx.options[name] as string);
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
