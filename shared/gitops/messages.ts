import type { ReleaseRecord } from "./release.js";

/** What a gimlet commit did, as its subject says. */
export type CommitKind = "deploy" | "rollback" | "delete";

export interface ParsedSubject {
  env: string;
  app: string;
  kind: CommitKind;
}

const SUBJECT = /^\[gimlet\] ([a-z0-9-]+)\/([a-z0-9-]+) (deploy|rollback|delete)(?: |$)/;

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ").trim();
}

function short(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : "unknown";
}

function withTrailers(subject: string, trailers: Array<[string, string | undefined]>, body: string[] = []): string {
  const lines = trailers.flatMap(([k, v]) => (v === undefined || v === "" ? [] : [`${k}: ${oneLine(v)}`]));
  const parts = [oneLine(subject)];
  if (body.length > 0) parts.push(body.map(oneLine).join("\n"));
  if (lines.length > 0) parts.push(lines.join("\n"));
  return `${parts.join("\n\n")}\n`;
}

/**
 * What links a commit to its GitHub Deployments without their ids (DESIGN §7): the app repository, the artifact sha
 * the deployment is made for, and the artifact (env and app are in the subject). The commit is written before any
 * GitHub write; settling lists the repository's deployments of that sha and picks the one made for this commit.
 * `Gimlet-Deployment` is written only for a record that still carries a deployment id (releases made before).
 */
function releaseTrailers(
  release: Pick<ReleaseRecord, "artifactId" | "deployment" | "version">,
): Array<[string, string | undefined]> {
  const repository = release.version.repositoryName ?? release.deployment?.repository;
  return [
    ["Gimlet-Artifact", release.artifactId],
    ["Gimlet-Repository", repository],
    ["Gimlet-Ref", repository ? release.version.sha : undefined],
    ["Gimlet-Deployment", release.deployment ? `${release.deployment.repository}#${release.deployment.id}` : undefined],
  ];
}

/** `[gimlet] <env>/<app> deploy <sha7> by <actor|policy>` + trailers. */
export function deployMessage(release: ReleaseRecord, actor: string | undefined): string {
  const subject = `[gimlet] ${release.env}/${release.app} deploy ${short(release.version.sha)} by ${actor || "policy"}`;
  return withTrailers(subject, releaseTrailers(release));
}

/** `[gimlet] <env>/<app> rollback to <gitopsSha7> by <actor>` + trailers. */
export function rollbackMessage(release: ReleaseRecord, target: string, actor: string): string {
  const subject = `[gimlet] ${release.env}/${release.app} rollback to ${short(target)} by ${actor}`;
  return withTrailers(subject, [...releaseTrailers(release), ["Gimlet-Rollback-Of", target]]);
}

/** `[gimlet] <env>/<app> delete (<reason>)`. */
export function deleteMessage(env: string, app: string, reason: string, actor?: string): string {
  return withTrailers(`[gimlet] ${env}/${app} delete (${oneLine(reason)})`, [["Gimlet-Actor", actor]]);
}

export function lockMessage(env: string, by: string, reason?: string): string {
  return withTrailers(`[gimlet] ${env} lock by ${by}${reason ? ` (${oneLine(reason)})` : ""}`, []);
}

export function unlockMessage(env: string, by: string): string {
  return withTrailers(`[gimlet] ${env} unlock by ${by}`, []);
}

/** The env, app and kind of a gimlet subject; undefined for any other subject (Gimlet's, a human's). */
export function parseSubject(subject: string): ParsedSubject | undefined {
  const [, env, app, kind] = SUBJECT.exec(subject) ?? [];
  return env && app && kind ? { env, app, kind: kind as CommitKind } : undefined;
}
