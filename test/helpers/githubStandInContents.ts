// The contents slice of the GitHub stand-in: files per repository and ref, each branch's commit history, and the
// contents, trees and commits routes over them. FakeGitHub routes to it.

import { createHash } from "node:crypto";
import { notFound, type Reply } from "./githubStandInReply.js";

const blobSha = (text: string) =>
  createHash("sha1")
    .update(`blob ${Buffer.byteLength(text)}\0${text}`)
    .digest("hex");

export class ContentsStandIn {
  /** `repo` → ref (`*` = any ref) → path → text. */
  private readonly files = new Map<string, Map<string, Map<string, string>>>();
  /** `owner/repo:branch` → the commits written through the API (contents PUTs, `commitFile`), oldest first. */
  private readonly history = new Map<string, Array<{ sha: string; message: string; paths: string[]; date: string }>>();

  constructor(private readonly defaultBranch: (repository: string) => string) {}

  /** Serve `files` of `repo` at `ref` (default: any ref). */
  serve(repo: string, files: Record<string, string>, ref = "*"): void {
    const refs = this.files.get(repo) ?? new Map<string, Map<string, string>>();
    this.files.set(repo, refs);
    const at = refs.get(ref) ?? new Map<string, string>();
    refs.set(ref, at);
    for (const [path, text] of Object.entries(files)) at.set(path, text);
  }

  fileAt(repo: string, ref: string, path: string): string | undefined {
    const refs = this.files.get(repo);
    return refs?.get(ref)?.get(path) ?? refs?.get("*")?.get(path);
  }

  /**
   * Write `files` to `branch` as one commit with `message`, as a contents PUT (or a push) would: served and in the
   * branch's history (`GET commits`). For state a test seeds as if an earlier version of the app had written it.
   */
  commitFile(repo: string, branch: string, files: Record<string, string>, message: string): string {
    this.serve(repo, files, branch);
    const key = `${repo}:${branch}`;
    const commits = this.history.get(key) ?? [];
    this.history.set(key, commits);
    const sha = createHash("sha1")
      .update(`${key}\0${commits.length}\0${message}\0${Object.keys(files).join("\0")}`)
      .digest("hex");
    commits.push({ sha, message, paths: Object.keys(files), date: new Date().toISOString() });
    return sha;
  }

  /** Files of a branch (as PUT by the app), path → text. */
  branchFiles(repo: string, branch: string): Record<string, string> {
    return Object.fromEntries(this.files.get(repo)?.get(branch) ?? []);
  }

  /** `GET git/trees/<ref>` of a branch as served: every file (no truncation). */
  tree(repo: string, ref: string): Reply {
    const files = this.files.get(repo)?.get(ref);
    if (!files) return notFound;
    return [
      200,
      {
        sha: "tree",
        truncated: false,
        tree: [...files].map(([p, text]) => ({ path: p, type: "blob", mode: "100644", sha: blobSha(text) })),
      },
    ];
  }

  /** Every repository that has files. */
  repositories(): string[] {
    return [...this.files.keys()];
  }

  /** GitHub's list of a branch's commits: newest first from `sha`, only those touching `path`, 30 a page (≤ 100). */
  listCommits(repository: string, query: Record<string, string>): Reply {
    const from = query.sha ?? this.defaultBranch(repository);
    const commits = this.history.get(`${repository}:${from}`);
    if (!commits) return [404, { message: `No commit found for SHA: ${from}` }];
    const perPage = Math.min(100, Number(query.per_page ?? 30));
    const page = Math.max(1, Number(query.page ?? 1));
    const path = query.path?.replace(/^\/+|\/+$/g, "");
    return [
      200,
      [...commits]
        .reverse()
        .filter((c) => !path || c.paths.some((p) => p === path || p.startsWith(`${path}/`)))
        .slice((page - 1) * perPage, page * perPage)
        .map((c) => ({
          sha: c.sha,
          commit: {
            message: c.message,
            author: { name: "gimlet[bot]", date: c.date },
            committer: { name: "GitHub", date: c.date },
          },
          html_url: `https://github.com/${repository}/commit/${c.sha}`,
          parents: [],
        })),
    ];
  }

  getContents(repo: string, path: string, ref: string): Reply {
    const text = this.fileAt(repo, ref, path);
    if (text !== undefined)
      return [
        200,
        {
          type: "file",
          path,
          name: path.split("/").pop(),
          sha: blobSha(text),
          encoding: "base64",
          content: Buffer.from(text).toString("base64"),
        },
      ];
    const refs = this.files.get(repo);
    const all = new Set([...(refs?.get("*")?.keys() ?? []), ...(ref === "*" ? [] : (refs?.get(ref)?.keys() ?? []))]);
    const entries = new Map<string, string>();
    for (const p of all) {
      if (!p.startsWith(`${path}/`)) continue;
      const rest = p.slice(path.length + 1);
      const name = rest.split("/")[0];
      entries.set(name ?? rest, rest.includes("/") ? "dir" : "file");
    }
    if (!entries.size) return notFound;
    return [200, [...entries].map(([name, type]) => ({ type, name, path: `${path}/${name}`, sha: "x" }))];
  }

  putFile(repo: string, path: string, body: { branch: string; content: string; sha?: string }): Reply {
    const existing = this.files.get(repo)?.get(body.branch)?.get(path);
    // GitHub's answers: an existing file written without its sha is 422, with another sha 409
    if (existing !== undefined && body.sha === undefined)
      return [422, { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' }];
    if (existing !== undefined && body.sha !== blobSha(existing))
      return [409, { message: `${path} does not match ${body.sha}` }];
    if (existing === undefined && body.sha !== undefined)
      return [409, { message: `${path} does not match ${body.sha}` }];
    const text = Buffer.from(body.content, "base64").toString("utf8");
    const commit = this.commitFile(repo, body.branch, { [path]: text }, (body as { message?: string }).message ?? "");
    return [
      existing === undefined ? 201 : 200,
      {
        content: { path, sha: blobSha(text) },
        commit: { sha: commit, message: (body as { message?: string }).message },
      },
    ];
  }
}
