import { envLocation, type GimletConfig } from "../../shared/config/index.js";
import type { HistoryEntry } from "../../shared/gitops/index.js";
import type { Deployment } from "../../shared/ports.js";
import type { Route } from "../http/router.js";
import { PREVIEW_MARKER, type PreviewRow, parsePreviewRows } from "../previews/comment.js";
import { trackingStatus } from "../releases/tracking.js";
import type { AppServices } from "../services.js";
import type { LocalConversation } from "./conversation.js";

async function commentViews(conversation: LocalConversation | undefined): Promise<CommentsView[]> {
  if (!conversation) return [];
  const all = await conversation.allComments();
  return all
    .map(({ repository, number, comments }) => ({
      repository,
      number,
      previews: comments.filter((c) => c.body.startsWith(PREVIEW_MARKER)).flatMap((c) => parsePreviewRows(c.body)),
      replies: comments.filter((c) => !c.body.startsWith(PREVIEW_MARKER)).map((c) => c.body),
    }))
    .sort((a, b) => b.number - a.number);
}

const escapeHtml = (text: unknown) =>
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
): Promise<Deployment | undefined> {
  const repository = typeof version?.repositoryName === "string" ? version.repositoryName : undefined;
  const sha = typeof version?.sha === "string" ? version.sha : undefined;
  if (!repository || !sha) return undefined;
  const deployments = await services.deps.forge.listDeployments(repository, { sha }).catch(() => []);
  return deployments.find((d) => d.payload.gitopsSha === gitopsSha);
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
          const deployment = entry.deployment
            ? await forge.getDeployment(entry.deployment.repository, Number(entry.deployment.id)).catch(() => undefined)
            : await deploymentOfCommit(services, entry.version, entry.gitopsSha);
          if (!deployment) return { ...entry, state: entry.type };
          const statuses = await forge.listDeploymentStatuses(deployment.repository, deployment.id).catch(() => []);
          return { ...entry, state: trackingStatus(statuses, deployment.payload) };
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

/** The PR comments the app wrote (preview comments, command replies), newest PR first. */
export interface CommentsView {
  repository: string;
  number: number;
  previews: PreviewRow[];
  replies: string[];
}

function renderComments(views: readonly CommentsView[]): string {
  if (!views.length) return "";
  const rows = views
    .flatMap((v) =>
      v.previews.map(
        (p) =>
          `<tr><td>${escapeHtml(v.repository)}#${escapeHtml(v.number)}</td><td><code>${escapeHtml(p.app)}</code></td><td>${escapeHtml(p.env)}</td><td><code>${escapeHtml(p.sha.slice(0, 7))}</code></td><td>${escapeHtml(p.removed ? `removed: ${p.removed}` : p.state)}</td><td>${p.url && !p.removed ? `<a href="${escapeHtml(p.url)}">${escapeHtml(p.url)}</a>` : escapeHtml(p.url ?? "")}</td></tr>`,
      ),
    )
    .join("");
  const replies = views
    .flatMap((v) =>
      v.replies.map((r) => `<li>${escapeHtml(v.repository)}#${escapeHtml(v.number)}: <pre>${escapeHtml(r)}</pre></li>`),
    )
    .join("");
  return `<section><h2>Previews <small>from the PR comments</small></h2><table><thead><tr><th>PR</th><th>App</th><th>Env</th><th>Commit</th><th>State</th><th>URL</th></tr></thead><tbody>${rows || '<tr><td colspan="6">no previews</td></tr>'}</tbody></table>${replies ? `<h3>Command replies</h3><ul>${replies}</ul>` : ""}</section>`;
}

export function renderPage(views: EnvView[], configSource: string, comments: readonly CommentsView[] = []): string {
  const sections = views.map((view) => {
    const rows = view.releases
      .map(
        (r) =>
          `<tr><td>${escapeHtml(r.created.replace(/\.\d+Z$/, "Z"))}</td><td>${escapeHtml(r.app)}</td><td>${escapeHtml(r.type)}</td><td><code>${escapeHtml(r.gitopsSha.slice(0, 7))}</code></td><td><code>${escapeHtml(String(r.version?.sha ?? "").slice(0, 7))}</code> ${escapeHtml(r.version?.tag ?? r.version?.branch ?? "")}</td><td>${escapeHtml(r.triggeredBy ?? "")}</td><td class="s-${escapeHtml(r.state)}">${escapeHtml(r.state)}${r.rolledBack ? " (rolled back)" : ""}${r.pinned ? " 📌" : ""}</td></tr>`,
      )
      .join("");
    return `<section><h2>${escapeHtml(view.env)} <small>${escapeHtml(view.repository)}</small></h2><p>Apps: ${view.apps.map((a) => `<code>${escapeHtml(a)}</code>`).join(", ") || "none yet"}</p><table><thead><tr><th>When</th><th>App</th><th>Type</th><th>Gitops</th><th>Version</th><th>By</th><th>State</th></tr></thead><tbody>${rows || '<tr><td colspan="7">no releases yet</td></tr>'}</tbody></table></section>`;
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>Gimlet (local mode)</title><meta http-equiv="refresh" content="5"><style>body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}small{color:#777;font-weight:normal}.s-healthy,.s-applied{color:#17803d}.s-failed{color:#b42318}.s-queued,.s-committed{color:#9a6700}</style></head><body><h1>Gimlet <small>local mode · config ${escapeHtml(configSource)}</small></h1>${sections.join("")}${renderComments(comments)}</body></html>`;
}

/** `GET /`: a read-only page with the environments, their apps and the release log with states. */
export function localPage(
  services: AppServices,
  configFor: () => Promise<{ config: GimletConfig; source: string }>,
  conversation?: LocalConversation,
): Route {
  return {
    method: "GET",
    path: "/",
    async handle() {
      const { config, source } = await configFor();
      return {
        status: 200,
        text: renderPage(await environments(services, config), source, await commentViews(conversation)),
        contentType: "text/html; charset=utf-8",
      };
    },
  };
}
