import { ConfigError, type Problem } from "../errors.js";
import type { RenderedFile } from "../render/types.js";
import { DNS_LABEL, dnsLabelMessage } from "../validation.js";

/** Where one environment lives inside a gitops repository (DESIGN §7). */
export interface EnvLocation {
  env: string;
  /** The env folder: the env name by default, "" for a repository per environment. */
  path?: string;
}

export const RELEASE_FILE = "release.json";
export const LOCK_DIR = ".gimlet";
export const LOCK_FILE = "lock.json";

// A segment of the env folder: letters, digits, '.', '_' and '-', starting and ending with a letter or
// digit, so "." and ".." can never be a segment.
const PATH_SEGMENT = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,126}[A-Za-z0-9])?$/;
// A rendered file name: a plain name, no directory part, no leading dot (so no "..", no ".gimlet").
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$/;

function nameProblems(field: string, value: unknown): Problem[] {
  if (typeof value !== "string" || !DNS_LABEL.test(value)) {
    return [{ path: field, message: `${JSON.stringify(value)} ${dnsLabelMessage}` }];
  }
  return [];
}

function pathProblems(value: unknown): Problem[] {
  if (value === undefined || value === "") return [];
  const bad = (why: string): Problem[] => [{ path: "path", message: `${JSON.stringify(value)} ${why}` }];
  if (typeof value !== "string") return bad("must be a string");
  if (value.includes("\\")) return bad("must not contain a backslash");
  if (value.startsWith("/")) return bad("must be a relative path");
  const segments = value.split("/");
  if (segments.some((s) => s === "..")) return bad("must not contain '..'");
  if (!segments.every((s) => PATH_SEGMENT.test(s))) {
    return bad("must be '/'-separated folder names of letters, digits, '.', '_' and '-'");
  }
  return [];
}

function throwIf(problems: Problem[]): void {
  if (problems.length > 0) throw ConfigError.of(problems);
}

/** The env folder inside the repository ("" = the repository root). Throws ConfigError on an unsafe env or path. */
export function envFolder(loc: EnvLocation): string {
  throwIf([...nameProblems("env", loc.env), ...pathProblems(loc.path)]);
  return loc.path === undefined ? loc.env : loc.path;
}

/** `<path>/<app>`, checked: both names DNS labels, the path contained. */
export function appFolder(loc: EnvLocation, app: string): string {
  throwIf([...nameProblems("env", loc.env), ...nameProblems("app", app), ...pathProblems(loc.path)]);
  return joinRepoPath(envFolder(loc), app);
}

export function releasePath(loc: EnvLocation, app: string): string {
  return joinRepoPath(appFolder(loc, app), RELEASE_FILE);
}

export function lockPath(loc: EnvLocation): string {
  return joinRepoPath(envFolder(loc), LOCK_DIR, LOCK_FILE);
}

/** Join repository-relative segments, skipping empty ones (the root env folder is ""). */
export function joinRepoPath(...parts: string[]): string {
  return parts.filter((p) => p !== "").join("/");
}

/** Every rendered file must be a plain, unique file name inside the app folder, and not the release record. */
export function checkRenderedFiles(files: readonly RenderedFile[]): void {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  files.forEach((f, i) => {
    const at = `files[${i}].path`;
    if (typeof f?.path !== "string" || !FILE_NAME.test(f.path)) {
      problems.push({
        path: at,
        message: `${JSON.stringify(f?.path)} must be a plain file name (no '/', no '..', no leading '.')`,
      });
    } else if (f.path === RELEASE_FILE) {
      problems.push({ path: at, message: `${RELEASE_FILE} is written by gimlet and can't be a rendered file` });
    } else if (seen.has(f.path)) {
      problems.push({ path: at, message: `duplicate file ${f.path}` });
    } else if (typeof f.content !== "string") {
      problems.push({ path: `files[${i}].content`, message: "must be a string" });
    }
    if (typeof f?.path === "string") seen.add(f.path);
  });
  throwIf(problems);
}

/** The app a repository path belongs to, given the env folder; undefined for the lock folder and stray files. */
export function appOfRepoPath(folder: string, repoPath: string): string | undefined {
  const prefix = folder === "" ? "" : `${folder}/`;
  if (!repoPath.startsWith(prefix)) return undefined;
  const rest = repoPath.slice(prefix.length);
  const slash = rest.indexOf("/");
  if (slash <= 0) return undefined;
  const app = rest.slice(0, slash);
  return DNS_LABEL.test(app) ? app : undefined;
}
