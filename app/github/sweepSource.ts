import type { Probot } from "probot";
import type { Deployment, DeploymentStatus, RepositoryName } from "../../shared/ports.js";
import type { SweepSource } from "../releases/overdue.js";
import type { OctokitFor, OctokitLike } from "./octokit.js";
import { splitRepository } from "./repository.js";

interface Cached<T> {
  etag: string;
  value: T;
}

/**
 * The overdue sweep over GitHub: the app's installations and their repositories, each repository's recent
 * deployments and their statuses. Lists go out as conditional requests (If-None-Match): an unchanged list answers
 * 304, which GitHub does not count against the rate limit, so a sweep of quiet repositories costs nothing. A claim
 * is a ref created in the repository (`refs/gimlet/sweep/<deployment id>`): creating a ref that exists fails, so
 * exactly one replica wins; the ref is deleted after the status is posted.
 */
export class GitHubSweepSource implements SweepSource {
  private readonly cache = new Map<string, Cached<unknown>>();

  constructor(
    private readonly app: Probot,
    private readonly octokitFor: OctokitFor,
  ) {}

  private async conditional<T>(
    octokit: OctokitLike,
    key: string,
    route: string,
    params: Record<string, unknown>,
  ): Promise<T> {
    const cached = this.cache.get(key) as Cached<T> | undefined;
    try {
      const response = await octokit.request(route, {
        ...params,
        headers: cached ? { "if-none-match": cached.etag } : {},
      });
      const etag = response.headers.etag;
      if (etag) this.cache.set(key, { etag, value: response.data });
      return response.data as T;
    } catch (error) {
      if ((error as { status?: number }).status === 304 && cached) return cached.value;
      throw error;
    }
  }

  async repositories(): Promise<RepositoryName[]> {
    const appOctokit = await this.app.auth();
    const installations = await appOctokit.paginate(appOctokit.rest.apps.listInstallations, { per_page: 100 });
    const repos: RepositoryName[] = [];
    for (const installation of installations) {
      const octokit = await this.app.auth(installation.id);
      const data = await this.conditional<{ repositories: Array<{ full_name: string }> }>(
        octokit,
        `installation:${installation.id}`,
        "GET /installation/repositories",
        { per_page: 100 },
      );
      repos.push(...data.repositories.map((r) => r.full_name));
    }
    return repos;
  }

  async recentDeployments(repository: RepositoryName, since: Date): Promise<Deployment[]> {
    const { owner, repo } = splitRepository(repository);
    const data = await this.conditional<
      Array<{
        id: number;
        ref: string;
        sha: string;
        environment: string;
        payload: unknown;
        created_at: string;
        url: string;
      }>
    >(await this.octokitFor(repository), `deployments:${repository}`, "GET /repos/{owner}/{repo}/deployments", {
      owner,
      repo,
      per_page: 30,
    });
    return data
      .filter((d) => Date.parse(d.created_at) >= since.getTime())
      .map((d) => ({
        id: d.id,
        repository,
        ref: d.ref,
        sha: d.sha,
        environment: d.environment,
        payload: d.payload && typeof d.payload === "object" ? (d.payload as Record<string, unknown>) : {},
        createdAt: d.created_at,
        url: d.url,
      }));
  }

  async statuses(repository: RepositoryName, deploymentId: number): Promise<DeploymentStatus[]> {
    const { owner, repo } = splitRepository(repository);
    const data = await this.conditional<
      Array<{
        id: number;
        state: DeploymentStatus["state"];
        description?: string | null;
        log_url?: string;
        environment_url?: string;
        created_at: string;
      }>
    >(
      await this.octokitFor(repository),
      `statuses:${repository}#${deploymentId}`,
      "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
      { owner, repo, deployment_id: deploymentId, per_page: 100 },
    );
    return data.map((s) => ({
      id: s.id,
      state: s.state,
      createdAt: s.created_at,
      ...(s.description ? { description: s.description } : {}),
      ...(s.log_url ? { logUrl: s.log_url } : {}),
      ...(s.environment_url ? { environmentUrl: s.environment_url } : {}),
    }));
  }

  async claim(deployment: Deployment): Promise<boolean> {
    const { owner, repo } = splitRepository(deployment.repository);
    const octokit = await this.octokitFor(deployment.repository);
    try {
      await octokit.rest.git.createRef({ owner, repo, ref: `refs/gimlet/sweep/${deployment.id}`, sha: deployment.sha });
      return true;
    } catch (error) {
      if ((error as { status?: number }).status === 422) return false;
      throw error;
    }
  }

  async unclaim(deployment: Deployment): Promise<void> {
    const { owner, repo } = splitRepository(deployment.repository);
    const octokit = await this.octokitFor(deployment.repository);
    await octokit.rest.git.deleteRef({ owner, repo, ref: `gimlet/sweep/${deployment.id}` });
  }
}
