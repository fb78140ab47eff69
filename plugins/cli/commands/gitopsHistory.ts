import { ConfigError } from "../../../shared/errors.js";
import { type Command, EXIT, emit, outputOption } from "../command.js";
import { gitopsOptions, gitopsTarget, withWriter } from "../gitops.js";
import { table } from "../table.js";

export const gitopsHistory: Command = {
  path: ["gitops", "history"],
  summary: "The release log of an env (or one app) from the gitops repository's history",
  usage: "gitops history --repo URL|PATH [--branch main] [--path DIR] --env E [--app A] [--limit N] [-o json]",
  description:
    "Newest first: deploys, rollbacks and deletes, each with the version it released and whether a later rollback skipped it.",
  options: {
    ...gitopsOptions,
    app: { type: "string", description: "only this app", valueName: "A" },
    limit: { type: "string", description: "at most N entries (default 20)", valueName: "N" },
    output: outputOption,
  },
  examples: ["gimlet gitops history --repo ../gitops --env staging --app shop -o json"],
  async run(ctx) {
    const target = gitopsTarget(ctx);
    const limitText = (ctx.options.limit as string | undefined) ?? "20";
    if (!/^[1-9][0-9]*$/.test(limitText)) throw ConfigError.at("--limit", "must be a positive whole number");
    const entries = await withWriter((writer) =>
      writer.history({ ...target, app: ctx.options.app as string | undefined, limit: Number(limitText) }),
    );
    emit(ctx, entries, () =>
      entries.length
        ? table(
            ["CREATED", "TYPE", "APP", "GITOPS SHA", "VERSION", "BY", "NOTE"],
            entries.map((e) => [
              e.created.replace(/\.\d+Z$/, "Z"),
              e.type,
              e.app,
              e.gitopsSha.slice(0, 7),
              versionLabel(e.version),
              e.triggeredBy ?? "",
              [
                e.rolledBack ? "rolled back" : "",
                e.pinned ? "pinned" : "",
                e.rollbackOf ? `restores ${e.rollbackOf.slice(0, 7)}` : "",
              ]
                .filter(Boolean)
                .join(", "),
            ]),
          )
        : `no releases of ${target.env}${ctx.options.app ? `/${ctx.options.app}` : ""}\n`,
    );
    return EXIT.ok;
  },
};

function versionLabel(version: Record<string, unknown> | undefined): string {
  if (!version) return "";
  const sha = typeof version.sha === "string" ? version.sha.slice(0, 7) : "";
  const ref =
    typeof version.tag === "string" && version.tag
      ? version.tag
      : typeof version.branch === "string"
        ? version.branch
        : "";
  return [sha, ref].filter(Boolean).join(" ");
}
