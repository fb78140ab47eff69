import { ConfigError } from "../../shared/errors.js";
import type { RepositoryName } from "../../shared/ports.js";

const NAME_PART = /^[A-Za-z0-9_.-]+$/;

/** `acme/shop` → `{owner: "acme", repo: "shop"}`; anything else is refused before a URL or a path is built from it. */
export function splitRepository(repository: RepositoryName): { owner: string; repo: string } {
  const parts = repository.split("/");
  const [owner, repo] = parts;
  if (
    owner === undefined ||
    repo === undefined ||
    parts.length !== 2 ||
    !parts.every((p) => NAME_PART.test(p) && p !== "." && p !== "..")
  ) {
    throw ConfigError.at("repository", `not a repository name (owner/repo): ${JSON.stringify(repository)}`);
  }
  return { owner, repo };
}
