import { envLocation } from "../../shared/config/index.js";
import { ownedBy } from "../../shared/gitops/index.js";
import { HttpError } from "../http/errors.js";
import type { Route } from "../http/router.js";
import type { AppServices } from "../services.js";
import { callerOf, positiveInt, repositoryFor } from "./common.js";

/** `GET /api/releases?env=&app=&limit=`: the release log, from the gitops repository's history. */
export function getReleases(services: AppServices): Route {
  return {
    method: "GET",
    path: "/api/releases",
    async handle({ req, query }) {
      const caller = await callerOf(services, req);
      const repository = repositoryFor(caller, query.get("repository"));
      const env = query.get("env");
      if (!env)
        throw new HttpError(400, "config_invalid", "env: required", [
          { path: "env", message: "required: the environment" },
        ]);
      const config = await services.configs.get(repository);
      const location = envLocation(config, env);
      const limit = positiveInt(query.get("limit"), "limit", 20, 500);
      // Read past the limit: entries of other repositories' apps in a shared env are filtered out below.
      const entries = await services.deps.writer.history({
        repo: location.repository,
        branch: location.branch,
        path: location.path,
        env,
        app: query.get("app") ?? undefined,
        limit: limit * 4,
      });
      // Another repository's apps in a shared env are not this caller's to read.
      const own = entries.filter((e) => ownedBy(e, repository));
      return { status: 200, body: own.slice(0, limit) };
    },
  };
}
