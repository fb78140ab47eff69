import { envLocation, type GimletConfig } from "../../shared/config/index.js";
import type { HistoryEntry } from "../../shared/gitops/index.js";
import type { Route } from "../http/router.js";
import { trackingStatus } from "../releases/tracking.js";
import type { AppServices } from "../services.js";

const escape = (text: unknown) =>
  String(text ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

interface EnvView {
  env: string;
  repository: string;
  apps: string[];
  releases: Array<HistoryEntry & { state: string }>;
}

/** The deployment made for a gitops commit (created after its push, naming it in its payload). */
async function deploymentOfCommit(
  services: AppServices,
  version: Record<string, unknown> | undefined,
  gitopsSha: string,
): Promise<number | undefined> {
  const repository = typeof version?.repositoryName === "string" ? version.repositoryName : undefined;
  const sha = typeof version?.sha === "string" ? version.sha : undefined;
  if (!repository || !sha) return undefined;
  const deployments = await services.deps.forge.listDeployments(repository, { sha }).catch(() => []);
  return deployments.find((d) => d.payload.gitopsSha === gitopsSha)?.id;
}

async function environments(services: AppServices, config: GimletConfig): Promise<EnvView[]> {
  const { writer, forge } = services.deps;
  return Promise.all(
    Object.keys(config.environments).map(async (env) => {
      const location = envLocation(config, env);
      const history = await writer
        .history({ repo: location.repository, branch: location.branch, path: location.path, env, limit: 30 })
        .catch(() => []);
      const releases = await Promise.all(
        history.map(async (entry) => {
          const deploymentId = entry.deployment
            ? Number(entry.deployment.id)
            : await deploymentOfCommit(services, entry.version, entry.gitopsSha);
          const repository = entry.deployment?.repository ?? String(entry.version?.repositoryName ?? "");
          if (deploymentId === undefined || !repository) return { ...entry, state: entry.type };
          const statuses = await forge.listDeploymentStatuses(repository, deploymentId).catch(() => []);
          return { ...entry, state: trackingStatus(statuses) };
        }),
      );
      const current = new Map<string, string>();
      for (const entry of history) if (!current.has(entry.app)) current.set(entry.app, entry.type);
      return {
        env,
        repository: location.repository,
        apps: [...current]
          .filter(([, type]) => type !== "delete")
          .map(([app]) => app)
          .sort(),
        releases,
      };
    }),
  );
}

export function renderPage(views: EnvView[], configSource: string): string {
  const sections = views.map((view) => {
    const rows = view.releases
      .map(
        (r) =>
          `<tr><td>${escape(r.created.replace(/\.\d+Z$/, "Z"))}</td><td>${escape(r.app)}</td><td>${escape(r.type)}</td><td><code>${escape(r.gitopsSha.slice(0, 7))}</code></td><td><code>${escape(String(r.version?.sha ?? "").slice(0, 7))}</code> ${escape(r.version?.tag ?? r.version?.branch ?? "")}</td><td>${escape(r.triggeredBy ?? "")}</td><td class="s-${escape(r.state)}">${escape(r.state)}${r.rolledBack ? " (rolled back)" : ""}${r.pinned ? " 📌" : ""}</td></tr>`,
      )
      .join("");
    return `<section><h2>${escape(view.env)} <small>${escape(view.repository)}</small></h2><p>Apps: ${view.apps.map((a) => `<code>${escape(a)}</code>`).join(", ") || "none yet"}</p><table><thead><tr><th>When</th><th>App</th><th>Type</th><th>Gitops</th><th>Version</th><th>By</th><th>State</th></tr></thead><tbody>${rows || '<tr><td colspan="7">no releases yet</td></tr>'}</tbody></table></section>`;
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>Gimlet (local mode)</title><meta http-equiv="refresh" content="5"><style>body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}small{color:#777;font-weight:normal}.s-healthy,.s-applied{color:#17803d}.s-failed{color:#b42318}.s-queued,.s-committed{color:#9a6700}</style></head><body><h1>Gimlet <small>local mode · config ${escape(configSource)}</small></h1>${sections.join("")}</body></html>`;
}

/** `GET /`: a read-only page with the environments, their apps and the release log with states. */
export function localPage(
  services: AppServices,
  configFor: () => Promise<{ config: GimletConfig; source: string }>,
): Route {
  return {
    method: "GET",
    path: "/",
    async handle() {
      const { config, source } = await configFor();
      return {
        status: 200,
        text: renderPage(await environments(services, config), source),
        contentType: "text/html; charset=utf-8",
      };
    },
  };
}
