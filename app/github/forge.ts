import { Conflict, NotFound } from "../../shared/errors.js";
import type {
  BranchCommit,
  BranchLocation,
  CheckRun,
  CheckRunInput,
  ConfigText,
  Deployment,
  DeploymentInput,
  DeploymentStatus,
  DeploymentStatusInput,
  Forge,
  RepositoryName,
} from "../../shared/ports.js";
import * as branchHistory from "./branchHistory.js";
import * as contents from "./contents.js";
import { githubCall, unlessNotFound } from "./errors.js";
import { type CheckRunOutputBody, checkRunBody, STATUS_DESCRIPTION_LIMIT, toCheckRun, truncate } from "./limits.js";
import { type OctokitFor, type OctokitLike, splitRepository } from "./octokit.js";

export const GIMLET_CONFIG_PATH = ".github/gimlet.yml";

export interface GitHubForgeOptions {
  /** Web root for links the API does not give (a deployment's page): `https://github.com`, or a GHES host. */
  webBaseUrl?: string;
}

type CreateParams = Parameters<OctokitLike["rest"]["checks"]["create"]>[0];
type UpdateParams = Parameters<OctokitLike["rest"]["checks"]["update"]>[0];

/** The part of GitHub's deployment object the port maps. */
interface GitHubDeployment {
  id: number;
  ref: string;
  sha: string;
  environment: string;
  payload: unknown;
  created_at: string;
}

/**
 * The Forge over the GitHub REST API. Every method resolves the installation octokit of the repository
 * through `octokitFor`, so one instance serves every installation of the app.
 */
export class GitHubForge implements Forge {
  private readonly webBaseUrl: string;

  constructor(
    private readonly octokitFor: OctokitFor,
    options: GitHubForgeOptions = {},
  ) {
    this.webBaseUrl = (options.webBaseUrl ?? "https://github.com").replace(/\/+$/, "");
  }

  /** Probot's config convention (2 calls at most): the repo's `.github/gimlet.yml`, else `.github/gimlet.yml` in the owner's `.github` repo. */
  async readGimletConfig(repository: RepositoryName): Promise<{ text: string; source: string } | undefined> {
    const { owner } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const orgRepository = `${owner}/.github`;
    const candidates =
      repository.toLowerCase() === orgRepository.toLowerCase() ? [repository] : [repository, orgRepository];
    for (const candidate of candidates) {
      const text = await contents.readFileAt(octokit, candidate, GIMLET_CONFIG_PATH);
      if (text !== undefined) return { text, source: `${candidate}:${GIMLET_CONFIG_PATH}` };
    }
    return undefined;
  }

  /** The organisation's and the repository's `.github/gimlet.yml`, both from their default branches (2 calls). */
  async readGimletConfigFiles(
    repository: RepositoryName,
    which: "both" | "org" = "both",
  ): Promise<{ org?: ConfigText; repo?: ConfigText }> {
    const { owner } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const orgRepository = `${owner}/.github`;
    const read = async (candidate: string) => {
      const text = await contents.readFileAt(octokit, candidate, GIMLET_CONFIG_PATH);
      return text === undefined ? undefined : { text, source: `${candidate}:${GIMLET_CONFIG_PATH}` };
    };
    const isOrg = repository.toLowerCase() === orgRepository.toLowerCase();
    const [org, repo] = await Promise.all([
      read(orgRepository),
      isOrg || which === "org" ? undefined : read(repository),
    ]);
    return { ...(org ? { org } : {}), ...(repo ? { repo } : {}) };
  }

  async defaultBranch(repository: RepositoryName): Promise<string> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const { data } = await githubCall({ repository, permission: "metadata: read", action: "GET repository" }, () =>
      octokit.rest.repos.get({ owner, repo }),
    );
    return data.default_branch;
  }

  async readFile(repository: RepositoryName, path: string, ref: string): Promise<string | undefined> {
    return contents.readFileAt(await this.octokitFor(repository), repository, path, ref);
  }

  async listFolder(repository: RepositoryName, path: string, ref: string): Promise<string[]> {
    return contents.listContents(await this.octokitFor(repository), repository, path, ref);
  }

  async createCheckRun(repository: RepositoryName, input: CheckRunInput): Promise<CheckRun> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const body = checkRunBody(input, { title: input.title, summary: input.summary, text: input.text });
    const { data } = await githubCall({ repository, permission: "checks: write", action: "POST check-runs" }, () =>
      octokit.rest.checks.create({ owner, repo, ...body } as CreateParams),
    );
    return toCheckRun(data);
  }

  /**
   * PATCH the fields `input` sets. GitHub needs `output.title` and `output.summary` together, so a partial
   * output change first reads the check run for the missing one. `headSha` can't change and is ignored.
   */
  async updateCheckRun(repository: RepositoryName, id: number, input: Partial<CheckRunInput>): Promise<void> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const { headSha: _ignored, ...rest } = input;
    let output: CheckRunOutputBody | undefined;
    if (input.title !== undefined || input.summary !== undefined || input.text !== undefined) {
      let current: CheckRun | undefined;
      if (input.title === undefined || input.summary === undefined) {
        const { data } = await githubCall(
          { repository, permission: "checks: read", action: `GET check-runs/${id}` },
          () => octokit.rest.checks.get({ owner, repo, check_run_id: id }),
        );
        current = toCheckRun(data);
      }
      output = {
        title: input.title ?? current?.title ?? "",
        summary: input.summary ?? current?.summary ?? "",
        text: input.text,
      };
    }
    const body = checkRunBody(rest, output);
    await githubCall({ repository, permission: "checks: write", action: `PATCH check-runs/${id}` }, () =>
      octokit.rest.checks.update({ owner, repo, check_run_id: id, ...body } as UpdateParams),
    );
  }

  async listCheckRuns(repository: RepositoryName, sha: string, name: string): Promise<CheckRun[]> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    try {
      const runs = await githubCall(
        { repository, permission: "checks: read", action: `GET commits/${sha}/check-runs` },
        () =>
          octokit.paginate(octokit.rest.checks.listForRef, {
            owner,
            repo,
            ref: sha,
            check_name: name,
            filter: "all",
            per_page: 100,
          }),
      );
      return runs.map(toCheckRun).sort((a, b) => b.id - a.id);
    } catch (error) {
      // an unknown commit answers 404 or 422 "No commit found for SHA"
      if (error instanceof NotFound || /no commit found/i.test(error instanceof Error ? error.message : "")) return [];
      throw error;
    }
  }

  async putBranchFile(location: BranchLocation, path: string, content: string, message: string): Promise<void> {
    await contents.putBranchFile(await this.octokitFor(location.repository), location, path, content, message);
  }

  async getBranchFile(location: BranchLocation, path: string): Promise<string | undefined> {
    return contents.getBranchFile(await this.octokitFor(location.repository), location, path);
  }

  async listBranchFiles(location: BranchLocation, prefix: string): Promise<string[]> {
    return contents.listBranchFiles(await this.octokitFor(location.repository), location, prefix);
  }

  async listBranchFolder(location: BranchLocation, folder: string): Promise<string[]> {
    return branchHistory.listBranchFolder(await this.octokitFor(location.repository), location, folder);
  }

  async listBranchCommits(
    location: BranchLocation,
    path: string,
    page: { perPage: number; page: number },
  ): Promise<BranchCommit[]> {
    return branchHistory.listBranchCommits(await this.octokitFor(location.repository), location, path, page);
  }

  /** One deployment, never auto-merging the default branch into `ref` and never waiting on commit statuses. */
  async createDeployment(repository: RepositoryName, input: DeploymentInput): Promise<Deployment> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const response = await githubCall(
      { repository, permission: "deployments: write", action: "POST deployments" },
      () =>
        octokit.rest.repos.createDeployment({
          owner,
          repo,
          ref: input.ref,
          environment: input.environment,
          description: input.description,
          payload: input.payload as never,
          auto_merge: false,
          required_contexts: [],
          transient_environment: input.transientEnvironment,
          production_environment: input.productionEnvironment,
        }),
    );
    // 202 = GitHub merged (or tried to merge) the default branch instead of creating a deployment
    if (response.status !== 201 || !("id" in response.data)) {
      const message = (response.data as { message?: string }).message ?? `status ${response.status}`;
      throw new Conflict(`GitHub did not create a deployment of ${input.ref} on ${repository}: ${message}`);
    }
    return this.toDeployment(repository, response.data as GitHubDeployment);
  }

  async getDeployment(repository: RepositoryName, id: number): Promise<Deployment | undefined> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const response = await unlessNotFound(
      githubCall({ repository, permission: "deployments: read", action: `GET deployments/${id}` }, () =>
        octokit.rest.repos.getDeployment({ owner, repo, deployment_id: id }),
      ),
    );
    return response && this.toDeployment(repository, response.data as GitHubDeployment);
  }

  async listDeployments(
    repository: RepositoryName,
    filter: { sha?: string; environment?: string },
  ): Promise<Deployment[]> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const response = await unlessNotFound(
      githubCall({ repository, permission: "deployments: read", action: "GET deployments" }, () =>
        octokit.rest.repos.listDeployments({
          owner,
          repo,
          ...(filter.sha ? { sha: filter.sha } : {}),
          ...(filter.environment ? { environment: filter.environment } : {}),
          per_page: 100,
        }),
      ),
    );
    return (response?.data ?? [])
      .map((d) => this.toDeployment(repository, d as GitHubDeployment))
      .sort((a, b) => b.id - a.id);
  }

  /**
   * `auto_inactive` is left at GitHub's default (true): a `success` marks the earlier successful deployments
   * of the same environment inactive, which is what users expect in the Deployments tab. Environments are
   * `<env>` or `<env>/<app>`, so only deployments of the same app and env are affected.
   */
  async createDeploymentStatus(
    repository: RepositoryName,
    deploymentId: number,
    input: DeploymentStatusInput,
  ): Promise<void> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    await githubCall(
      { repository, permission: "deployments: write", action: `POST deployments/${deploymentId}/statuses` },
      () =>
        octokit.rest.repos.createDeploymentStatus({
          owner,
          repo,
          deployment_id: deploymentId,
          state: input.state,
          ...(input.description !== undefined
            ? { description: truncate(input.description, STATUS_DESCRIPTION_LIMIT, "…") }
            : {}),
          ...(input.logUrl !== undefined ? { log_url: input.logUrl } : {}),
          ...(input.environmentUrl !== undefined ? { environment_url: input.environmentUrl } : {}),
        }),
    );
  }

  async listDeploymentStatuses(repository: RepositoryName, deploymentId: number): Promise<DeploymentStatus[]> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const statuses = await unlessNotFound(
      githubCall(
        { repository, permission: "deployments: read", action: `GET deployments/${deploymentId}/statuses` },
        () =>
          octokit.paginate(octokit.rest.repos.listDeploymentStatuses, {
            owner,
            repo,
            deployment_id: deploymentId,
            per_page: 100,
          }),
      ),
    );
    return (statuses ?? [])
      .map((s) => ({
        id: s.id,
        // "pending" is GitHub's legacy state, set by other tools; the port's nearest is "queued"
        state: s.state === "pending" ? ("queued" as const) : s.state,
        createdAt: s.created_at,
        ...(s.description ? { description: s.description } : {}),
        ...(s.log_url ? { logUrl: s.log_url } : {}),
        ...(s.environment_url ? { environmentUrl: s.environment_url } : {}),
      }))
      .sort((a, b) => b.id - a.id);
  }

  private toDeployment(repository: RepositoryName, data: GitHubDeployment): Deployment {
    return {
      id: data.id,
      repository,
      ref: data.ref,
      sha: data.sha,
      environment: data.environment,
      payload: parsePayload(data.payload),
      createdAt: data.created_at,
      url: `${this.webBaseUrl}/${repository}/deployments/${encodeURIComponent(data.environment)}`,
    };
  }
}

/** GitHub returns the payload as it was given: an object, or a JSON string. */
function parsePayload(payload: unknown): Record<string, unknown> {
  if (typeof payload === "string") {
    try {
      const parsed: unknown = JSON.parse(payload);
      return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
    } catch {
      return {};
    }
  }
  return typeof payload === "object" && payload !== null && !Array.isArray(payload)
    ? (payload as Record<string, unknown>)
    : {};
}
