import { Conflict, NotFound } from "../../shared/errors.js";
import type { BranchCommit, BranchLocation } from "../../shared/ports.js";
import { listBranchFiles, listContents } from "./contents.js";
import { githubCall } from "./errors.js";
import { type OctokitLike, splitRepository } from "./octokit.js";

const READ = "contents: read";
/** GitHub's contents API lists at most 1,000 entries of a folder (its documented limit); past it, the tree is read. */
export const CONTENTS_FOLDER_LIMIT = 1000;

/**
 * The files directly in one folder of a branch: one `GET contents/<folder>?ref=<branch>`, whose size is the
 * folder's, not the branch's. A folder at GitHub's 1,000-entry limit of that API is listed from the tree instead
 * (the documented way past it), so nothing is cut off silently.
 */
export async function listBranchFolder(
  octokit: OctokitLike,
  location: BranchLocation,
  folder: string,
): Promise<string[]> {
  const path = folder.replace(/^\/+|\/+$/g, "");
  const entries = await listContents(octokit, location.repository, path, location.branch);
  if (entries.length < CONTENTS_FOLDER_LIMIT) return entries;
  const prefix = `${path}/`;
  return (await listBranchFiles(octokit, location, prefix)).filter((p) => !p.slice(prefix.length).includes("/"));
}

/**
 * One page of the branch's commits that touched `path`, newest first: `GET commits?sha=<branch>&path=<path>`.
 * A missing branch (404, or 422 "No commit found") and an empty repository (409) have none.
 */
export async function listBranchCommits(
  octokit: OctokitLike,
  location: BranchLocation,
  path: string,
  page: { perPage: number; page: number },
): Promise<BranchCommit[]> {
  const { repository, branch } = location;
  const { owner, repo } = splitRepository(repository);
  try {
    const { data } = await githubCall({ repository, permission: READ, action: `GET commits?path=${path}` }, () =>
      octokit.rest.repos.listCommits({
        owner,
        repo,
        sha: branch,
        path,
        per_page: Math.min(100, Math.max(1, page.perPage)),
        page: Math.max(1, page.page),
      }),
    );
    return data.map((commit) => ({ sha: commit.sha, message: commit.commit.message }));
  } catch (error) {
    if (error instanceof NotFound || error instanceof Conflict) return [];
    if (/no commit found/i.test(error instanceof Error ? error.message : "")) return [];
    throw error;
  }
}
