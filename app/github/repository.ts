import { ConfigError } from "../../shared/errors.js";
import { REPOSITORY_NAME } from "../../shared/names.js";
import type { RepositoryName } from "../../shared/ports.js";

/** `acme/shop` → `{owner: "acme", repo: "shop"}`; anything else is refused before a URL or a path is built from it. */
export function splitRepository(repository: RepositoryName): { owner: string; repo: string } {
  const [owner, repo] = repository.split("/");
  if (owner === undefined || repo === undefined || !REPOSITORY_NAME.test(repository)) {
    throw ConfigError.at("repository", `not a repository name (owner/repo): ${JSON.stringify(repository)}`);
  }
  return { owner, repo };
}
