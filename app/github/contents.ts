import { Conflict, NotFound } from "../../shared/errors.js";
import type { BranchLocation, RepositoryName } from "../../shared/ports.js";
import { githubCall, githubMessage, statusOf, translateGitHubError, unlessNotFound } from "./errors.js";
import { type OctokitLike, splitRepository } from "./octokit.js";

const READ = "contents: read";
const WRITE = "contents: write";
/** PUT attempts when another writer changed the file between our read and our write. */
const PUT_ATTEMPTS = 3;

/**
 * A file's blob sha and text at a ref; undefined when missing or not a file. The JSON media type (base64
 * content) is used rather than the raw one because octokit decodes raw bodies by content type (a JSON file
 * could come back parsed, or as bytes); files over 1 MB come without content and are read as a git blob.
 */
async function getFile(
  octokit: OctokitLike,
  repository: RepositoryName,
  path: string,
  ref?: string,
): Promise<{ sha: string; text: string } | undefined> {
  const { owner, repo } = splitRepository(repository);
  const call = { repository, permission: READ, action: `GET contents/${path}` };
  const response = await unlessNotFound(
    githubCall(call, () => octokit.rest.repos.getContent({ owner, repo, path, ...(ref ? { ref } : {}) })),
  );
  const data = response?.data;
  if (!data || Array.isArray(data) || data.type !== "file") return undefined;
  if ("content" in data && data.encoding === "base64") return { sha: data.sha, text: decodeBase64(data.content) };
  const { data: blob } = await githubCall({ ...call, action: `GET git/blobs/${data.sha}` }, () =>
    octokit.rest.git.getBlob({ owner, repo, file_sha: data.sha }),
  );
  return { sha: data.sha, text: blob.encoding === "base64" ? decodeBase64(blob.content) : blob.content };
}

function decodeBase64(content: string): string {
  return Buffer.from(content, "base64").toString("utf8");
}

/** A file's text at a ref (the default branch when omitted); undefined when missing or a folder. */
export async function readFileAt(
  octokit: OctokitLike,
  repository: RepositoryName,
  path: string,
  ref?: string,
): Promise<string | undefined> {
  return (await getFile(octokit, repository, path, ref))?.text;
}

/** Repository-relative paths of the entries (files and folders) directly under `path`, sorted. */
export async function listContents(
  octokit: OctokitLike,
  repository: RepositoryName,
  path: string,
  ref: string,
): Promise<string[]> {
  const { owner, repo } = splitRepository(repository);
  const response = await unlessNotFound(
    githubCall({ repository, permission: READ, action: `GET contents/${path}` }, () =>
      octokit.rest.repos.getContent({ owner, repo, path, ...(ref ? { ref } : {}) }),
    ),
  );
  if (!response || !Array.isArray(response.data)) return [];
  return response.data.map((entry) => entry.path).sort();
}

function isMissingBranch(error: unknown): boolean {
  const status = statusOf(error);
  return (
    (status === 404 || status === 422) &&
    /branch/i.test(githubMessage(error)) &&
    /not found|does not exist/i.test(githubMessage(error))
  );
}

/** Create `branch` at the head of the default branch; a concurrent creator winning the race is fine. */
async function createBranchFromDefault(
  octokit: OctokitLike,
  repository: RepositoryName,
  branch: string,
): Promise<void> {
  const { owner, repo } = splitRepository(repository);
  const { data: repoData } = await githubCall({ repository, permission: READ, action: "GET repository" }, () =>
    octokit.rest.repos.get({ owner, repo }),
  );
  const base = repoData.default_branch;
  const { data: ref } = await githubCall({ repository, permission: READ, action: `GET git/ref/heads/${base}` }, () =>
    octokit.rest.git.getRef({ owner, repo, ref: `heads/${base}` }),
  );
  try {
    await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: ref.object.sha });
  } catch (error) {
    if (statusOf(error) === 422 && /already exists/i.test(githubMessage(error))) return;
    throw translateGitHubError(error, {
      repository,
      permission: WRITE,
      action: `POST git/refs (create branch ${branch})`,
    });
  }
}

/**
 * Create or replace a file on a branch through the contents API (one commit per call). The first attempt writes
 * without reading, as for a new file (artifact files always are): one API call. When the file exists (422 "sha")
 * or moved (409), it is read and the write retried with its sha; unchanged content then makes no commit. A missing
 * branch is created from the default branch's head and the write retried once.
 */
export async function putBranchFile(
  octokit: OctokitLike,
  location: BranchLocation,
  path: string,
  content: string,
  message: string,
): Promise<void> {
  const { repository, branch } = location;
  const { owner, repo } = splitRepository(repository);
  let branchCreated = false;
  let readFirst = false;
  for (let attempt = 1; ; attempt++) {
    const existing = readFirst ? await getFile(octokit, repository, path, branch) : undefined;
    if (existing?.text === content) return;
    try {
      await octokit.rest.repos.createOrUpdateFileContents({
        owner,
        repo,
        path,
        branch,
        message,
        content: Buffer.from(content, "utf8").toString("base64"),
        ...(existing ? { sha: existing.sha } : {}),
      });
      return;
    } catch (error) {
      if (isMissingBranch(error) && !branchCreated) {
        await createBranchFromDefault(octokit, repository, branch);
        branchCreated = true;
        continue;
      }
      const translated = translateGitHubError(error, {
        repository,
        permission: WRITE,
        action: `PUT contents/${path} on ${branch}`,
      });
      // 409: the file's sha moved; 422 "sha wasn't supplied": the file exists (or another writer just created it)
      const raced =
        translated instanceof Conflict || (statusOf(error) === 422 && /\bsha\b/i.test(githubMessage(error)));
      if (raced && attempt < PUT_ATTEMPTS) {
        readFirst = true;
        continue;
      }
      throw translated;
    }
  }
}

export async function getBranchFile(
  octokit: OctokitLike,
  location: BranchLocation,
  path: string,
): Promise<string | undefined> {
  return readFileAt(octokit, location.repository, path, location.branch);
}

type TreeEntry = { path?: string; type?: string; sha?: string };

/**
 * Blob paths of a branch under `prefix` (a folder; "" = all). One recursive tree call; when GitHub truncates
 * it (over 100,000 entries), the folders are walked one tree call each.
 */
export async function listBranchFiles(
  octokit: OctokitLike,
  location: BranchLocation,
  prefix: string,
): Promise<string[]> {
  const { repository, branch } = location;
  const { owner, repo } = splitRepository(repository);
  const folder = prefix.replace(/^\/+|\/+$/g, "");
  const getTree = (treeSha: string, recursive: boolean) =>
    githubCall({ repository, permission: READ, action: `GET git/trees/${treeSha}` }, async () => {
      const { data } = await octokit.rest.git.getTree({
        owner,
        repo,
        tree_sha: treeSha,
        ...(recursive ? { recursive: "1" } : {}),
      });
      return data as { tree: TreeEntry[]; truncated: boolean };
    });

  const walk = async (treeSha: string, base: string): Promise<string[]> => {
    const full = await getTree(treeSha, true);
    if (!full.truncated) return full.tree.filter((e) => e.type === "blob").map((e) => base + e.path);
    const shallow = await getTree(treeSha, false);
    const paths: string[] = [];
    for (const entry of shallow.tree) {
      const path = base + entry.path;
      const wanted = !folder || path === folder || path.startsWith(`${folder}/`) || folder.startsWith(`${path}/`);
      if (entry.type === "blob") paths.push(path);
      else if (entry.type === "tree" && entry.sha && wanted) paths.push(...(await walk(entry.sha, `${path}/`)));
    }
    return paths;
  };

  try {
    const paths = await walk(branch, "");
    return paths.filter((p) => !folder || p.startsWith(`${folder}/`)).sort();
  } catch (error) {
    // a missing branch is 404; an empty repository (no commit at all) is 409 "Git Repository is empty"
    if (error instanceof NotFound || error instanceof Conflict) return [];
    throw error;
  }
}
