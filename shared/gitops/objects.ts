import { createHash } from "node:crypto";
import type { GitIdentity } from "./git.js";

/** One entry of a git tree: mode ("100644", "40000", ...) and object id. */
export interface TreeEntry {
  mode: string;
  sha: string;
}

/** A file a commit puts into a folder: new content, or an existing blob by id. */
export interface FileSpec {
  name: string;
  mode: string;
  content?: string;
  sha?: string;
}

/** What one commit changes: whole folders replaced (no files = folder removed), single files put or removed. */
export type Edit =
  | { kind: "folder"; path: string; files: FileSpec[] }
  | { kind: "file"; path: string; content: string | undefined };

export interface CommitSpec {
  message: string;
  edits: Edit[];
}

/** The id git gives a blob with this content (sha1 object format). */
export function blobSha(content: string): string {
  const body = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${body.length}\0`).update(body).digest("hex");
}

/** Parse a raw tree object (`<mode> <name>\0<20-byte id>` repeated). */
export function parseTree(data: Buffer, idLength = 20): Map<string, TreeEntry> {
  const entries = new Map<string, TreeEntry>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    const nul = data.indexOf(0, space);
    if (space < 0 || nul < 0) break;
    const mode = data.toString("latin1", pos, space);
    const name = data.toString("utf8", space + 1, nul);
    entries.set(name, { mode, sha: data.toString("hex", nul + 1, nul + 1 + idLength) });
    pos = nul + 1 + idLength;
  }
  return entries;
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text, "utf8")}\n${text}\n`;
}

/**
 * A `git fast-import` stream writing `commits` one after another on `ref`, the first on top of `parent`
 * ("" = a root commit). Marks :1..:n name the commits, in order. A replaced folder is deleted first, so
 * files no longer wanted disappear.
 */
export function fastImportStream(
  ref: string,
  parent: string,
  identity: GitIdentity,
  commits: CommitSpec[],
  when: Date,
): string {
  const who = `${identity.name} <${identity.email}> ${Math.floor(when.getTime() / 1000)} +0000`;
  const out: string[] = [];
  commits.forEach((c, i) => {
    out.push(`commit ${ref}\nmark :${i + 1}\nauthor ${who}\ncommitter ${who}\n${data(c.message)}`);
    if (i === 0 && parent) out.push(`from ${parent}\n`);
    for (const edit of c.edits) {
      if (edit.kind === "file") {
        out.push(
          edit.content === undefined ? `D ${edit.path}\n` : `M 100644 inline ${edit.path}\n${data(edit.content)}`,
        );
        continue;
      }
      out.push(`D ${edit.path}\n`);
      for (const f of edit.files) {
        const path = `${edit.path}/${f.name}`;
        out.push(
          f.content !== undefined ? `M ${f.mode} inline ${path}\n${data(f.content)}` : `M ${f.mode} ${f.sha} ${path}\n`,
        );
      }
    }
    out.push("\n");
  });
  out.push("done\n");
  return out.join("");
}

/** `:<mark> <sha>` lines of `--export-marks` → shas by mark number. */
export function parseMarks(text: string): Map<number, string> {
  const marks = new Map<number, string>();
  for (const line of text.split("\n")) {
    const [, mark, sha] = /^:(\d+) ([0-9a-f]+)$/.exec(line.trim()) ?? [];
    if (mark && sha) marks.set(Number(mark), sha);
  }
  return marks;
}

/** Identity fields end up in raw commit headers: refuse what would break them. */
export function checkIdentity(identity: GitIdentity): GitIdentity {
  if (/[<>\n\r]/.test(identity.name + identity.email) || !identity.name.trim() || !identity.email.trim()) {
    throw new Error(`invalid git identity ${JSON.stringify(identity)}`);
  }
  return identity;
}
