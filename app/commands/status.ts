import type { GimletConfig } from "../../shared/config/index.js";
import { type HistoryEntry, releaseOwner } from "../../shared/gitops/index.js";
import { deploymentOfRelease } from "../releases/deploymentLinks.js";
import { trackingStatus } from "../releases/tracking.js";
import type { AppServices } from "../services.js";
import type { CommandRunner } from "./context.js";
import { gitopsTarget } from "./context.js";

/** `2h`, `3d`, `45m`: how long ago, for the status table. */
export function age(from: string, now: Date): string {
  const ms = now.getTime() - Date.parse(from);
  if (!Number.isFinite(ms)) return "";
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h` : `${Math.floor(hours / 24)}d`;
}

export interface StatusRow {
  env: string;
  app: string;
  sha?: string;
  prNumber?: number;
  created: string;
  state: string;
  pinned: boolean;
}

export interface EnvStatus {
  env: string;
  lock?: { by: string; created: string; reason?: string };
  rows: StatusRow[];
}

/** Each env of the configuration and each app this repository has there: version, state, pins; and the env's lock. */
export async function repositoryStatus(
  services: AppServices,
  config: GimletConfig,
  repository: string,
): Promise<EnvStatus[]> {
  const { writer, forge } = services.deps;
  return Promise.all(
    Object.keys(config.environments).map(async (env): Promise<EnvStatus> => {
      const target = gitopsTarget(config, env);
      const [history, lock] = await Promise.all([writer.history({ ...target, limit: 500 }), writer.readLock(target)]);
      const current = new Map<string, HistoryEntry>();
      for (const entry of history) if (!current.has(entry.app)) current.set(entry.app, entry);
      const mine = [...current.values()].filter(
        (e) => e.type !== "delete" && releaseOwner(e) === repository.toLowerCase(),
      );
      const rows = await Promise.all(
        mine.map(async (entry): Promise<StatusRow> => {
          const deployment = await deploymentOfRelease(forge, entry).catch(() => undefined);
          const statuses = deployment
            ? await forge.listDeploymentStatuses(deployment.repository, deployment.id).catch(() => [])
            : [];
          const version = entry.version ?? {};
          const prNumber = typeof version.prNumber === "number" ? version.prNumber : undefined;
          return {
            env,
            app: entry.app,
            sha: typeof version.sha === "string" ? version.sha : undefined,
            prNumber,
            created: entry.created,
            state: deployment ? trackingStatus(statuses, deployment.payload) : entry.type,
            pinned: Boolean(entry.pinned),
          };
        }),
      );
      return { env, lock, rows: rows.sort((a, b) => a.app.localeCompare(b.app)) };
    }),
  );
}

export function statusTable(envs: readonly EnvStatus[], repository: string, now: Date): string {
  const lines = [`Status of ${repository}:`, ""];
  for (const env of envs) {
    lines.push(
      `**${env.env}** ${env.lock ? `🔒 locked by @${env.lock.by} since ${env.lock.created}${env.lock.reason ? `: ${env.lock.reason}` : ""}` : "(not locked)"}`,
      "",
    );
    if (!env.rows.length) {
      lines.push("No app of this repository is deployed here.", "");
      continue;
    }
    lines.push("| App | Version | PR | Age | State | Pinned |", "|---|---|---|---|---|---|");
    for (const row of env.rows)
      lines.push(
        `| \`${row.app}\` | ${row.sha ? `\`${row.sha.slice(0, 7)}\`` : "?"} | ${row.prNumber ? `#${row.prNumber}` : ""} | ${age(row.created, now)} | ${row.state} | ${row.pinned ? "📌 pinned by a rollback" : ""} |`,
      );
    lines.push("");
  }
  return lines.join("\n").trimEnd();
}

/** `/gimlet status`: read-only, so anyone who can comment may ask. */
export const statusCommand: CommandRunner<"status"> = async (ctx) => {
  const config = await ctx.services.configs.get(ctx.repository);
  const envs = await repositoryStatus(ctx.services, config, ctx.repository);
  return {
    decision: "done",
    reasonCode: "status",
    message: statusTable(envs, ctx.repository, ctx.services.deps.clock.now()),
  };
};
