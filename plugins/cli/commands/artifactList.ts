import { apiClient, repositoryOption, serverOptions } from "../client.js";
import { type Command, EXIT, emit, outputOption, presentStrings } from "../command.js";
import { table } from "../table.js";

interface Listed {
  id: string;
  created: string;
  version: { sha: string; event: string; branch?: string; tag?: string; prNumber?: number; message?: string };
}

export const artifactList: Command = {
  path: ["artifact", "list"],
  summary: "The artifacts the server stored for a repository, newest first",
  usage: "artifact list [--repository o/r] [--branch B] [--sha S] [--event push|pr|tag] [--limit N] [-o json]",
  description: "With a CI's OIDC token the repository is the job's own; with an API token name it with --repository.",
  options: {
    repository: repositoryOption,
    branch: { type: "string", description: "only this branch", valueName: "B" },
    sha: { type: "string", description: "only this commit (full sha)", valueName: "S" },
    event: { type: "string", description: "only push, pr or tag artifacts", valueName: "E" },
    limit: { type: "string", description: "at most N (default 20, at most 100)", valueName: "N" },
    ...serverOptions,
    output: outputOption,
  },
  examples: ["gimlet artifact list --repository acme/shop --branch main --limit 5"],
  async run(ctx) {
    const query = new URLSearchParams(presentStrings(ctx, ["repository", "branch", "sha", "event", "limit"]));
    const { body } = await apiClient(ctx).request<Listed[]>("GET", `/api/artifacts?${query}`);
    emit(ctx, body, () =>
      body.length
        ? table(
            ["CREATED", "ID", "SHA", "EVENT", "REF", "MESSAGE"],
            body.map((a) => [
              a.created.replace(/\.\d+Z$/, "Z"),
              a.id,
              a.version.sha.slice(0, 7),
              a.version.event,
              a.version.tag ??
                (a.version.prNumber ? `#${a.version.prNumber} ${a.version.branch ?? ""}` : (a.version.branch ?? "")),
              (a.version.message ?? "").split("\n")[0]?.slice(0, 60) ?? "",
            ]),
          )
        : "no artifacts\n",
    );
    return EXIT.ok;
  },
};
