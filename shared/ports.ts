/** The clock the core reads; tests pass a fixed one. */
export interface Clock {
  now(): Date;
}

/** Structured logger (pino-compatible subset). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Random bytes for ids; tests pass a deterministic source. */
export type RandomBytes = (length: number) => Uint8Array;

export const systemClock: Clock = { now: () => new Date() };

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** `owner/repo`. */
export type RepositoryName = string;

export interface CheckRunAction {
  /** At most 20 characters (GitHub's limit). */
  label: string;
  /** At most 40 characters. */
  description: string;
  /** At most 20 characters; comes back in check_run.requested_action. */
  identifier: string;
}

export interface CheckRunInput {
  name: string;
  headSha: string;
  externalId: string;
  status: "queued" | "in_progress" | "completed";
  conclusion?: "success" | "neutral" | "failure" | "action_required" | "skipped";
  detailsUrl?: string;
  title: string;
  /** Markdown, at most 65,535 characters. */
  summary: string;
  /** Markdown, at most 65,535 characters. */
  text?: string;
  /** At most three. */
  actions?: CheckRunAction[];
}

export interface CheckRun {
  id: number;
  externalId: string;
  headSha: string;
  url: string;
  title?: string;
  summary?: string;
  text?: string;
}

export interface DeploymentInput {
  ref: string;
  environment: string;
  description: string;
  payload: Record<string, unknown>;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
}

export interface Deployment {
  id: number;
  repository: RepositoryName;
  ref: string;
  sha: string;
  environment: string;
  payload: Record<string, unknown>;
  createdAt: string;
  url: string;
}

export type DeploymentState = "queued" | "in_progress" | "success" | "failure" | "error" | "inactive";

export interface DeploymentStatusInput {
  state: DeploymentState;
  description?: string;
  logUrl?: string;
  environmentUrl?: string;
}

export interface DeploymentStatus extends DeploymentStatusInput {
  id: number;
  createdAt: string;
}

/** A configuration file's text and where it was read (`owner/repo:.github/gimlet.yml`). */
export interface ConfigText {
  text: string;
  source: string;
}

/** A file on a branch of a repository (artifact files). */
export interface BranchLocation {
  repository: RepositoryName;
  branch: string;
}

/** A commit of a branch as `listBranchCommits` lists it. */
export interface BranchCommit {
  sha: string;
  /** The whole message, trailers included. */
  message: string;
  /** The files the commit wrote, when the forge knows them without another call (local mode); else undefined. */
  paths?: string[];
}

/**
 * Everything the app asks of GitHub, so that the same core runs over GitHub (octokit) and over local files
 * (local mode) without telling them apart.
 */
export interface Forge {
  /** `.github/gimlet.yml` of the repository, falling back to the owner's `.github` repository; undefined when neither has one. */
  readGimletConfig(repository: RepositoryName): Promise<{ text: string; source: string } | undefined>;
  /**
   * Both configuration files, each from its repository's default branch (DESIGN §7): the organisation's
   * (`<owner>/.github`) and the repository's own. Forges without an organisation (local mode) leave it out.
   */
  readGimletConfigFiles?(
    repository: RepositoryName,
    which?: "both" | "org",
  ): Promise<{ org?: ConfigText; repo?: ConfigText }>;
  /** The repository's default branch (where trusted configuration and policy are read). */
  defaultBranch?(repository: RepositoryName): Promise<string>;
  /** A file of a repository at a ref (e.g. `.gimlet/staging.yaml` at a sha); undefined when missing. */
  readFile(repository: RepositoryName, path: string, ref: string): Promise<string | undefined>;
  /** Paths under a folder of a repository at a ref (non-recursive). */
  listFolder(repository: RepositoryName, path: string, ref: string): Promise<string[]>;

  createCheckRun(repository: RepositoryName, input: CheckRunInput): Promise<CheckRun>;
  updateCheckRun(repository: RepositoryName, id: number, input: Partial<CheckRunInput>): Promise<void>;
  /** Check runs with this name on the commit, newest first. */
  listCheckRuns(repository: RepositoryName, sha: string, name: string): Promise<CheckRun[]>;

  /** Create or replace a file on a branch (the branch is created from the default branch when missing). */
  putBranchFile(location: BranchLocation, path: string, content: string, message: string): Promise<void>;
  getBranchFile(location: BranchLocation, path: string): Promise<string | undefined>;
  /** Every file path under a folder of the branch, recursively. */
  listBranchFiles(location: BranchLocation, prefix: string): Promise<string[]>;
  /**
   * The file paths directly in one folder of the branch (not recursive), sorted; [] when it is missing. One read
   * whatever else the branch holds (GitHub: the contents API on the folder).
   */
  listBranchFolder(location: BranchLocation, folder: string): Promise<string[]>;
  /**
   * One page of the commits of the branch that touched `path` (a file or a folder), newest first; [] when the
   * branch is missing. One read per page whatever else the branch holds.
   */
  listBranchCommits(
    location: BranchLocation,
    path: string,
    page: { perPage: number; page: number },
  ): Promise<BranchCommit[]>;

  createDeployment(repository: RepositoryName, input: DeploymentInput): Promise<Deployment>;
  getDeployment(repository: RepositoryName, id: number): Promise<Deployment | undefined>;
  /**
   * Deployments of the repository, newest first (one page of at most 100: callers filter narrowly, by the sha a
   * deployment was made for and/or its environment). [] for a repository that is gone.
   */
  listDeployments(repository: RepositoryName, filter: { sha?: string; environment?: string }): Promise<Deployment[]>;
  createDeploymentStatus(repository: RepositoryName, deploymentId: number, input: DeploymentStatusInput): Promise<void>;
  /** Newest first. */
  listDeploymentStatuses(repository: RepositoryName, deploymentId: number): Promise<DeploymentStatus[]>;
}

/** How the gitops writer reaches a gitops repository: a clone URL with credentials, or a local path. */
export interface GitopsRemote {
  cloneUrl(repository: RepositoryName): Promise<string>;
  /** The environment one git command needs to reach the repository (credentials); never written anywhere. */
  gitEnv?(repository: RepositoryName): Promise<Record<string, string>>;
  /**
   * Whether the gitops repository exists and this server can reach it, without creating anything (a signed event
   * naming an unknown repository must touch no disk). Absent = assume it does.
   */
  exists?(repository: RepositoryName): Promise<boolean>;
  /** A link a human can open for a gitops commit (log_url of a deployment status). */
  commitUrl(repository: RepositoryName, sha: string): string;
}
