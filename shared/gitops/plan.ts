import { RELEASE_FILE } from "./layout.js";
import { blobSha, type FileSpec, type TreeEntry } from "./objects.js";

/** A folder as it is at the branch tip: its entries, and the text of its release.json when there is one. */
export interface FolderSnapshot {
  entries: ReadonlyMap<string, TreeEntry>;
  release?: string;
}

export const EMPTY_FOLDER: FolderSnapshot = { entries: new Map() };

/** A new file for a folder, with the blob id git will give it. */
export function fileSpec(name: string, content: string): FileSpec & { sha: string } {
  return { name, mode: "100644", content, sha: blobSha(content) };
}

/**
 * Whether replacing `current` with `desired` changes anything (a deploy, a rollback, a delete when
 * `desired` is empty). Files are compared by blob id, so no content is read.
 *
 * Rule for "unchanged": the same file names, every rendered file byte-identical, and release.json equal
 * ignoring `created` and `deployment.id`. So the same release made twice (a retried webhook, a second
 * GitHub Deployment for the same artifact) makes no commit, while anything a reader of the history cares
 * about (another artifact, another actor, a pin or an unpin) does.
 */
export function folderChanged(current: FolderSnapshot, desired: readonly FileSpec[]): boolean {
  if (current.entries.size !== desired.length) return true;
  for (const file of desired) {
    const now = current.entries.get(file.name);
    if (!now || now.mode !== normalMode(file.mode)) return true;
    const sha = file.sha ?? (file.content !== undefined ? blobSha(file.content) : undefined);
    if (now.sha === sha) continue;
    if (
      file.name === RELEASE_FILE &&
      current.release !== undefined &&
      file.content !== undefined &&
      sameRelease(current.release, file.content)
    )
      continue;
    return true;
  }
  return false;
}

// Trees store directories as "40000"; fast-import and ls-tree spell it "040000".
function normalMode(mode: string): string {
  return mode === "040000" ? "40000" : mode;
}

/** Single files (the env lock): `undefined` means the file must not exist. */
export function fileChanged(
  current: string | undefined,
  desired: string | undefined,
  same = (a: string, b: string) => a === b,
): boolean {
  if (current === undefined || desired === undefined) return current !== desired;
  return !same(current, desired);
}

/** Two release.json texts describe the same release: equal except for `created` and `deployment.id`. */
export function sameRelease(a: string, b: string): boolean {
  const ka = releaseKey(a);
  return ka !== undefined && ka === releaseKey(b);
}

function releaseKey(text: string): string | undefined {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    const { created: _created, deployment, ...rest } = value;
    const dep =
      deployment && typeof deployment === "object"
        ? { ...(deployment as Record<string, unknown>), id: undefined }
        : deployment;
    return canonicalJson({ ...rest, deployment: dep });
  } catch {
    return undefined;
  }
}

/** JSON with object keys sorted, so key order never makes two records differ. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
      );
    }
    return v;
  });
}

/** Two lock.json texts are the same lock: equal except for `created`. */
export function sameLock(a: string, b: string): boolean {
  const strip = (t: string): string | undefined => {
    try {
      const { created: _c, ...rest } = JSON.parse(t) as Record<string, unknown>;
      return canonicalJson(rest);
    } catch {
      return undefined;
    }
  };
  const sa = strip(a);
  return sa !== undefined && sa === strip(b);
}

/** Two repository paths overlap when one is the other or lies inside it. */
export function pathsOverlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}
