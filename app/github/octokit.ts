import type { Probot, ProbotOctokit } from "probot";
import type { RepositoryName } from "../../shared/ports.js";
import { githubCall } from "./errors.js";
import { splitRepository } from "./repository.js";

export { splitRepository };

/** What the GitHub adapters call: Probot's octokit (`@octokit/core` + rest endpoint methods + paginate). */
export type OctokitLike = ProbotOctokit;

/** The octokit to use for a repository: the caller decides the installation (one app, many installations). */
export type OctokitFor = (repository: RepositoryName) => Promise<OctokitLike>;

/**
 * Installation octokits for an app: `GET /repos/{owner}/{repo}/installation` with the app JWT, once per
 * repository (the id is cached; a repository keeps its installation until the app is uninstalled), then
 * `app.auth(installationId)`, also cached: its token is fetched on first use and renewed by octokit's
 * auth-app cache when it expires. A failed lookup is not cached, so a later install is picked up.
 */
export function installationOctokitFactory(app: Probot): OctokitFor {
  const installationIds = new Map<string, Promise<number>>();
  const octokits = new Map<number, Promise<OctokitLike>>();

  // An app is installed at most once per account, so one lookup serves every repository of an owner.
  const installationId = (repository: RepositoryName): Promise<number> => {
    const key = splitRepository(repository).owner.toLowerCase();
    let id = installationIds.get(key);
    if (!id) {
      const { owner, repo } = splitRepository(repository);
      id = githubCall({ repository, permission: "an installation", action: "GET installation" }, async () => {
        const appOctokit = await app.auth();
        const { data } = await appOctokit.rest.apps.getRepoInstallation({ owner, repo });
        return data.id;
      });
      installationIds.set(key, id);
      id.catch(() => installationIds.delete(key));
    }
    return id;
  };

  return async (repository) => {
    const id = await installationId(repository);
    let octokit = octokits.get(id);
    if (!octokit) {
      octokit = app.auth(id);
      octokits.set(id, octokit);
      octokit.catch(() => octokits.delete(id));
    }
    return octokit;
  };
}
