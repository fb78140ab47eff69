import type { ReleaseCommit } from "../../shared/gitops/index.js";
import type { Deployment, Forge, Logger } from "../../shared/ports.js";
import type { SuccessMeans } from "./tracking.js";

/** A GitHub Deployment a gitops commit leads to. */
export interface LinkedDeployment {
  repository: string;
  id: number;
  /** Known when the deployment was found by listing (not for `Gimlet-Deployment` trailers). */
  environment?: string;
  /** Known when found by listing: what settling passes on, so nothing reads the deployment again. */
  payload?: Record<string, unknown>;
}

/** What a release's deployment payload carries so that settling can find it from the commit (DESIGN §7, §8). */
export interface ReleasePayload {
  artifactId: string;
  app: string;
  env: string;
  triggeredBy: string;
  /** The gitops commit the release pushed: deployments are created after it, so they can name it. */
  gitopsSha: string;
  /** The tracking id the API answered with before the deployment existed. */
  trackingId: string;
  rollbackOf?: string;
  /** What `success` means for this release (`applied` or `healthy`), fixed when it started. */
  successMeans?: SuccessMeans;
  /** A re-deploy whose write changed nothing: the earlier release that committed this content, which it mirrors. */
  follows?: { repository: string; id: number };
}

/**
 * Finds the deployments of gitops commits with reads only: a commit names the app repository and the artifact sha
 * (trailers), and its deployment names the commit (payload.gitopsSha). One list per repository and sha, however
 * many commits of one pass share it. Commits written before this (with `Gimlet-Deployment: <repo>#<id>`) name
 * their deployments directly. A repository that is gone, renamed beyond GitHub's redirects or no longer readable
 * yields no deployments (logged), never a failed settle.
 */
export class CommitDeployments {
  private readonly lists = new Map<string, Promise<Deployment[]>>();

  constructor(private readonly deps: { forge: Forge; log: Logger }) {}

  async of(commit: ReleaseCommit): Promise<LinkedDeployment[]> {
    if (commit.deployments.length > 0) return commit.deployments;
    const release = commit.release;
    if (!release) return [];
    const key = `${release.repository.toLowerCase()}\0${release.ref}`;
    let list = this.lists.get(key);
    if (!list) {
      list = this.deps.forge.listDeployments(release.repository, { sha: release.ref }).catch((error: unknown) => {
        this.deps.log.warn(
          { err: error, repo: release.repository, sha: release.ref },
          "could not list the deployments of a gitops commit's release; it is left unsettled",
        );
        return [];
      });
      this.lists.set(key, list);
    }
    // Newest first. A re-deploy whose write changed nothing names the same commit; the release that made the commit
    // asked for its deployment first (right after its push), so per app the oldest is the commit's own; the others
    // follow it (app/releases/unchanged.ts).
    const made = new Map<unknown, LinkedDeployment>();
    for (const d of await list)
      if (d.payload.gitopsSha === commit.sha && (commit.app === undefined || d.payload.app === commit.app))
        made.set(d.payload.app, {
          repository: release.repository,
          id: d.id,
          environment: d.environment,
          payload: d.payload,
        });
    return [...made.values()];
  }
}

/**
 * The GitHub Deployment of a release record or history entry. Releases made before commit-first name it
 * (`deployment`); later ones are found with one list of their artifact sha's deployments: the one naming the gitops
 * commit when it is known (history), else the newest made for this env and app (a `release.json`). Undefined when
 * GitHub has none (its creation failed after the push) or the record says too little.
 */
export async function deploymentOfRelease(
  forge: Forge,
  release: {
    env?: string;
    app?: string;
    gitopsSha?: string;
    version?: Record<string, unknown>;
    deployment?: { repository: string; id: number | string };
  },
): Promise<Deployment | undefined> {
  if (release.deployment) return forge.getDeployment(release.deployment.repository, Number(release.deployment.id));
  const repository = typeof release.version?.repositoryName === "string" ? release.version.repositoryName : undefined;
  const sha = typeof release.version?.sha === "string" ? release.version.sha : undefined;
  if (!repository || !sha) return undefined;
  const made = await forge.listDeployments(repository, { sha });
  return made.find((d) =>
    release.gitopsSha
      ? d.payload.gitopsSha === release.gitopsSha
      : d.payload.env === release.env && d.payload.app === release.app,
  );
}
