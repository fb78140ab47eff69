import { readdir, readFile, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { NotFound } from "../../shared/errors.js";
import {
  type BranchCommit,
  type BranchLocation,
  type CheckRun,
  type CheckRunInput,
  type Clock,
  type Deployment,
  type DeploymentInput,
  type DeploymentStatus,
  type DeploymentStatusInput,
  type Forge,
  type RepositoryName,
  systemClock,
} from "../../shared/ports.js";
import { CHECK_OUTPUT_LIMIT, STATUS_DESCRIPTION_LIMIT, truncate } from "../github/limits.js";
import { splitRepository } from "../github/repository.js";
import { FileStore } from "./store.js";

export const DEFAULT_LOCAL_ROOT = ".gimlet-local";
export const DEFAULT_LOCAL_CONFIG = "gimlet.local.yml";

export interface LocalForgeOptions {
  /** Where everything is kept; default `.gimlet-local` (relative to the working directory). */
  root?: string;
  /** The config every repository gets, same schema as `.github/gimlet.yml`; default `gimlet.local.yml`. */
  configFile?: string;
  /** App checkouts by repository, for `readFile`/`listFolder`: `{ "acme/shop": "/src/shop" }`. */
  repos?: Record<RepositoryName, string>;
  clock?: Clock;
  /** Base of the links in check runs and deployments (the local server); default: `file://` URLs of the JSON files. */
  linkBase?: string;
}

/** A check run as kept on disk. */
export interface LocalCheckRun extends CheckRunInput {
  id: number;
  createdAt: string;
  updatedAt: string;
}

/** A deployment as kept on disk, its statuses oldest first. */
export interface LocalDeployment extends Deployment {
  description: string;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  statuses: DeploymentStatus[];
}

/** A `/`-separated relative path with no empty, `.` or `..` segment; refused otherwise. */
function safePath(path: string, what: string): string {
  const segments = path.replace(/^\/+|\/+$/g, "").split("/");
  if (isAbsolute(path) || segments.some((s) => s === "." || s === ".." || s.includes("\\")))
    throw new Error(`${what} is not a safe relative path: ${path}`);
  return segments.filter(Boolean).join("/");
}

/**
 * The Forge over JSON files, for local mode (no GitHub App). Layout under `root`:
 * `github/<owner>/<repo>/check-runs/<id>.json`, `github/<owner>/<repo>/deployments/<id>.json` (with their
 * statuses), `branches/<owner>/<repo>/<branch, URI-encoded>/<path>`, `ids.json` (the id sequences).
 * Everything survives a restart; writes are atomic and serialized within the process.
 */
export class LocalForge implements Forge {
  readonly store: FileStore;
  private readonly configFile: string;
  private readonly repos: Record<RepositoryName, string>;
  private readonly clock: Clock;
  private readonly linkBase?: string;

  constructor(options: LocalForgeOptions = {}) {
    this.store = new FileStore(options.root ?? DEFAULT_LOCAL_ROOT);
    this.configFile = resolve(options.configFile ?? DEFAULT_LOCAL_CONFIG);
    this.repos = options.repos ?? {};
    this.clock = options.clock ?? systemClock;
    this.linkBase = options.linkBase?.replace(/\/+$/, "");
  }

  /** The same local config for every repository. */
  async readGimletConfig(repository: RepositoryName): Promise<{ text: string; source: string } | undefined> {
    splitRepository(repository);
    const text = await readOrUndefined(this.configFile);
    return text === undefined ? undefined : { text, source: this.configFile };
  }

  /** From the checkout's work tree, whatever `ref` is: local edits count without a commit. */
  async readFile(repository: RepositoryName, path: string, _ref: string): Promise<string | undefined> {
    const file = this.inCheckout(repository, path);
    return file === undefined ? undefined : readOrUndefined(file);
  }

  async listFolder(repository: RepositoryName, path: string, _ref: string): Promise<string[]> {
    const folder = this.inCheckout(repository, path);
    if (folder === undefined) return [];
    const prefix = safePath(path, "folder");
    try {
      const names = await readdir(folder);
      return names
        .filter((n) => prefix || n !== ".git")
        .map((n) => (prefix ? `${prefix}/${n}` : n))
        .sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  async createCheckRun(repository: RepositoryName, input: CheckRunInput): Promise<CheckRun> {
    const now = this.clock.now().toISOString();
    const id = await this.store.nextId("checkRun");
    const record: LocalCheckRun = { ...fitCheckRun(input), id, createdAt: now, updatedAt: now };
    await this.store.writeJson(this.checkRunFile(repository, id), record);
    return this.toCheckRun(repository, record);
  }

  async updateCheckRun(repository: RepositoryName, id: number, input: Partial<CheckRunInput>): Promise<void> {
    const file = this.checkRunFile(repository, id);
    await this.store.exclusive(file, async () => {
      const record = await this.store.readJson<LocalCheckRun>(file);
      if (!record) throw new NotFound(`check run ${id} not found on ${repository}`);
      const { headSha: _ignored, ...changes } = fitCheckRun(input);
      await this.store.writeJson(file, { ...record, ...changes, updatedAt: this.clock.now().toISOString() });
    });
  }

  async listCheckRuns(repository: RepositoryName, sha: string, name: string): Promise<CheckRun[]> {
    const records = await this.readAll<LocalCheckRun>(this.repoDir(repository, "check-runs"));
    return records
      .filter((r) => r.headSha === sha && r.name === name)
      .sort((a, b) => b.id - a.id)
      .map((r) => this.toCheckRun(repository, r));
  }

  async putBranchFile(location: BranchLocation, path: string, content: string, _message: string): Promise<void> {
    await this.store.writeText(`${this.branchDir(location)}/${safePath(path, "file")}`, content);
  }

  async getBranchFile(location: BranchLocation, path: string): Promise<string | undefined> {
    return this.store.readText(`${this.branchDir(location)}/${safePath(path, "file")}`);
  }

  async listBranchFiles(location: BranchLocation, prefix: string): Promise<string[]> {
    const folder = safePath(prefix, "folder");
    const files = await this.store.walk(folder ? `${this.branchDir(location)}/${folder}` : this.branchDir(location));
    return files.map((f) => (folder ? `${folder}/${f}` : f));
  }

  async listBranchFolder(location: BranchLocation, folder: string): Promise<string[]> {
    const path = safePath(folder, "folder");
    return (await this.listBranchFiles(location, path)).filter((f) => !f.slice(path.length + 1).includes("/"));
  }

  /**
   * Local mode keeps files, not commits: each file under `path` stands for the commit that last wrote it, newest
   * write first (ties by name, newest id first), with its path given so no message needs parsing.
   */
  async listBranchCommits(
    location: BranchLocation,
    path: string,
    page: { perPage: number; page: number },
  ): Promise<BranchCommit[]> {
    const files = await this.listBranchFiles(location, path);
    const dir = this.branchDir(location);
    const written = await Promise.all(
      files.map(async (file) => ({ file, at: (await stat(this.store.path(`${dir}/${file}`))).mtimeMs })),
    );
    const perPage = Math.max(1, page.perPage);
    return written
      .sort((a, b) => b.at - a.at || b.file.localeCompare(a.file))
      .slice((Math.max(1, page.page) - 1) * perPage, Math.max(1, page.page) * perPage)
      .map(({ file }) => ({ sha: "", message: "", paths: [file] }));
  }

  /** `sha` is `ref` as given (local mode resolves nothing; the core deploys artifact shas). */
  async createDeployment(repository: RepositoryName, input: DeploymentInput): Promise<Deployment> {
    const id = await this.store.nextId("deployment");
    const file = this.deploymentFile(repository, id);
    const record: LocalDeployment = {
      id,
      repository,
      ref: input.ref,
      sha: input.ref,
      environment: input.environment,
      payload: input.payload,
      createdAt: this.clock.now().toISOString(),
      url: this.link(file, `github/${repository}/deployments/${id}`),
      description: input.description,
      transientEnvironment: input.transientEnvironment,
      productionEnvironment: input.productionEnvironment,
      statuses: [],
    };
    await this.store.writeJson(file, record);
    return toDeployment(record);
  }

  async getDeployment(repository: RepositoryName, id: number): Promise<Deployment | undefined> {
    const record = await this.store.readJson<LocalDeployment>(this.deploymentFile(repository, id));
    return record && toDeployment(record);
  }

  async listDeployments(
    repository: RepositoryName,
    filter: { sha?: string; environment?: string },
  ): Promise<Deployment[]> {
    const all = await this.readAll<LocalDeployment>(this.repoDir(repository, "deployments"));
    return all
      .filter(
        (d) =>
          (filter.sha === undefined || d.sha === filter.sha) &&
          (filter.environment === undefined || d.environment === filter.environment),
      )
      .sort((a, b) => b.id - a.id)
      .slice(0, 100)
      .map(toDeployment);
  }

  /**
   * Appends a status. Like GitHub's default `auto_inactive`, a `success` adds an `inactive` status to the
   * earlier deployments of the same environment whose latest state is `success` (not transient, not production).
   */
  async createDeploymentStatus(
    repository: RepositoryName,
    deploymentId: number,
    input: DeploymentStatusInput,
  ): Promise<void> {
    await this.store.exclusive(this.repoDir(repository, "deployments"), async () => {
      const file = this.deploymentFile(repository, deploymentId);
      const record = await this.store.readJson<LocalDeployment>(file);
      if (!record) throw new NotFound(`deployment ${deploymentId} not found on ${repository}`);
      await this.appendStatus(file, record, input);
      if (input.state !== "success") return;
      for (const other of await this.readAll<LocalDeployment>(this.repoDir(repository, "deployments"))) {
        const latest = other.statuses.at(-1);
        if (other.id >= deploymentId || other.environment !== record.environment || latest?.state !== "success")
          continue;
        if (other.transientEnvironment || other.productionEnvironment) continue;
        await this.appendStatus(this.deploymentFile(repository, other.id), other, { state: "inactive" });
      }
    });
  }

  async listDeploymentStatuses(repository: RepositoryName, deploymentId: number): Promise<DeploymentStatus[]> {
    const record = await this.store.readJson<LocalDeployment>(this.deploymentFile(repository, deploymentId));
    return record ? [...record.statuses].sort((a, b) => b.id - a.id) : [];
  }

  private async appendStatus(file: string, record: LocalDeployment, input: DeploymentStatusInput): Promise<void> {
    const status: DeploymentStatus = {
      id: await this.store.nextId("deploymentStatus"),
      state: input.state,
      createdAt: this.clock.now().toISOString(),
      ...(input.description !== undefined
        ? { description: truncate(input.description, STATUS_DESCRIPTION_LIMIT, "…") }
        : {}),
      ...(input.logUrl !== undefined ? { logUrl: input.logUrl } : {}),
      ...(input.environmentUrl !== undefined ? { environmentUrl: input.environmentUrl } : {}),
    };
    await this.store.writeJson(file, { ...record, statuses: [...record.statuses, status] });
  }

  private async readAll<T>(dir: string): Promise<T[]> {
    const names = (await this.store.list(dir)).filter((n) => /^\d+\.json$/.test(n));
    const records = await Promise.all(names.map((n) => this.store.readJson<T>(`${dir}/${n}`)));
    return records.filter((r): r is Awaited<T> => r !== undefined) as T[];
  }

  private repoDir(repository: RepositoryName, kind: "check-runs" | "deployments"): string {
    const { owner, repo } = splitRepository(repository);
    return `github/${owner}/${repo}/${kind}`;
  }

  private checkRunFile(repository: RepositoryName, id: number): string {
    return `${this.repoDir(repository, "check-runs")}/${id}.json`;
  }

  private deploymentFile(repository: RepositoryName, id: number): string {
    return `${this.repoDir(repository, "deployments")}/${id}.json`;
  }

  private branchDir({ repository, branch }: BranchLocation): string {
    const { owner, repo } = splitRepository(repository);
    if (!branch || branch === "." || branch === "..") throw new Error(`not a branch name: ${JSON.stringify(branch)}`);
    return `branches/${owner}/${repo}/${encodeURIComponent(branch)}`;
  }

  private inCheckout(repository: RepositoryName, path: string): string | undefined {
    splitRepository(repository);
    const checkout = this.repos[repository];
    if (!checkout) return undefined;
    const root = resolve(checkout);
    const full = resolve(root, safePath(path, "path"));
    const rel = relative(root, full);
    return rel.startsWith(`..${sep}`) || isAbsolute(rel) ? undefined : full;
  }

  private link(file: string, path: string): string {
    return this.linkBase ? `${this.linkBase}/${path}` : pathToFileURL(this.store.path(file)).href;
  }

  private toCheckRun(repository: RepositoryName, r: LocalCheckRun): CheckRun {
    const { owner, repo } = splitRepository(repository);
    const url = this.link(this.checkRunFile(repository, r.id), `github/${owner}/${repo}/check-runs/${r.id}`);
    return {
      id: r.id,
      externalId: r.externalId,
      headSha: r.headSha,
      url,
      title: r.title,
      summary: r.summary,
      text: r.text,
    };
  }
}

/** GitHub's output limits, kept locally too so local mode shows what GitHub would. */
function fitCheckRun<T extends Partial<CheckRunInput>>(input: T): T {
  return {
    ...input,
    ...(input.summary !== undefined ? { summary: truncate(input.summary, CHECK_OUTPUT_LIMIT) } : {}),
    ...(input.text !== undefined ? { text: truncate(input.text, CHECK_OUTPUT_LIMIT) } : {}),
  };
}

function toDeployment(record: LocalDeployment): Deployment {
  const { id, repository, ref, sha, environment, payload, createdAt, url } = record;
  return { id, repository, ref, sha, environment, payload, createdAt, url };
}

/** A missing file (or a folder in its place) is undefined; other failures (permissions) are real errors. */
function isMissing(error: unknown): boolean {
  return ["ENOENT", "ENOTDIR", "EISDIR"].includes((error as { code?: string }).code ?? "");
}

async function readOrUndefined(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}
