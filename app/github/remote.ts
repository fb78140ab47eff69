import { GimletError, Transient } from "../../shared/errors.js";
import { gitConfigEnv } from "../../shared/gitops/git.js";
import type { GitopsRemote, RepositoryName } from "../../shared/ports.js";
import { ForgePermissionError } from "./errors.js";
import { type OctokitFor, splitRepository } from "./octokit.js";

export interface GitHubGitopsRemoteOptions {
  /** Where git clones from: `https://github.com` (default), a GHES host, or a loopback server in tests. */
  gitBaseUrl?: string;
  /** Where humans open commits; defaults to `gitBaseUrl`. */
  webBaseUrl?: string;
}

/**
 * Gitops repositories on GitHub, reached over HTTPS with the installation token of the repository's installation.
 * The token never rests anywhere: the clone URL is plain, and each git command that talks to GitHub gets the token
 * through its environment (`http.<host>.extraHeader`, DESIGN §7), so it is not in `.git/config`, argv or a log line.
 * Tokens live an hour: asked for per fetch/push (octokit caches them).
 */
export class GitHubGitopsRemote implements GitopsRemote {
  private readonly gitBaseUrl: URL;
  private readonly webBaseUrl: string;
  private readonly known = new Set<string>();

  constructor(
    private readonly octokitFor: OctokitFor,
    options: GitHubGitopsRemoteOptions = {},
  ) {
    const git = (options.gitBaseUrl ?? "https://github.com").replace(/\/+$/, "");
    this.gitBaseUrl = new URL(`${git}/`);
    this.webBaseUrl = (options.webBaseUrl ?? git).replace(/\/+$/, "");
  }

  async cloneUrl(repository: RepositoryName): Promise<string> {
    const { owner, repo } = splitRepository(repository);
    return new URL(`${owner}/${repo}.git`, this.gitBaseUrl).toString();
  }

  async gitEnv(repository: RepositoryName): Promise<Record<string, string>> {
    const octokit = await this.octokitFor(repository);
    const auth = (await octokit.auth({ type: "installation" })) as { token?: string };
    if (!auth.token) throw new Error(`no installation token for ${repository}`);
    const basic = Buffer.from(`x-access-token:${auth.token}`).toString("base64");
    // Scoped to the git host: a redirect elsewhere never gets the header.
    return gitConfigEnv([[`http.${this.gitBaseUrl.toString()}.extraHeader`, `Authorization: Basic ${basic}`]]);
  }

  /** The installation can read it (`GET /repos/{owner}/{repo}`): 404 or no installation = unknown. Positive answers are kept. */
  async exists(repository: RepositoryName): Promise<boolean> {
    const key = repository.toLowerCase();
    if (this.known.has(key)) return true;
    try {
      const { owner, repo } = splitRepository(repository);
      const octokit = await this.octokitFor(repository);
      await octokit.rest.repos.get({ owner, repo });
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      // No installation (NotFound, a ConfigError), no such repository (404) or no access (403, ForgePermissionError).
      if (
        status === 404 ||
        status === 403 ||
        (error instanceof GimletError && !(error instanceof Transient)) ||
        error instanceof ForgePermissionError
      )
        return false;
      throw error;
    }
    if (this.known.size > 10_000) this.known.clear();
    this.known.add(key);
    return true;
  }

  commitUrl(repository: RepositoryName, sha: string): string {
    return `${this.webBaseUrl}/${repository}/commit/${sha}`;
  }
}
