import { HttpError } from "../http/errors.js";
import type { Route } from "../http/router.js";
import { listArtifacts } from "../releases/artifacts.js";
import type { AppServices } from "../services.js";
import { callerOf, positiveInt, repositoryFor } from "./common.js";

/** `GET /api/artifacts?repository=&branch=&sha=&event=&limit=`: newest first, read from GitHub (nothing in memory). */
export function getArtifacts(services: AppServices): Route {
  return {
    method: "GET",
    path: "/api/artifacts",
    async handle({ req, query }) {
      const caller = await callerOf(services, req);
      const repository = repositoryFor(caller, query.get("repository"));
      const event = query.get("event") ?? undefined;
      if (event && !["push", "tag", "pr"].includes(event))
        throw new HttpError(400, "config_invalid", "event: must be one of push, tag, pr", [
          { path: "event", message: "must be one of push, tag, pr" },
        ]);
      const sha = query.get("sha") ?? undefined;
      if (sha && !/^[0-9a-f]{40}$/.test(sha))
        throw new HttpError(400, "config_invalid", "sha: must be a full 40-character commit sha", [
          { path: "sha", message: "must be a full 40-character commit sha" },
        ]);
      const config = await services.configs.get(repository);
      const artifacts = await listArtifacts(services.deps.forge, config, {
        repository,
        branch: query.get("branch") ?? undefined,
        sha,
        event,
        limit: positiveInt(query.get("limit"), "limit", 20, 100),
      });
      return { status: 200, body: artifacts };
    },
  };
}
