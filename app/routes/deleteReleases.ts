import { HttpError } from "../http/errors.js";
import type { Route } from "../http/router.js";
import { removeApp } from "../previews/remove.js";
import type { AppServices } from "../services.js";
import { actorOf, authorizeRelease, callerOf, repositoryFor } from "./common.js";

/**
 * `DELETE /api/releases?env=&app=[&repository=]`: remove an app from an env on purpose (its folder deleted in one
 * commit, its deployments inactive). The same checks as a rollback: an API token's environments, the env's deployers,
 * and only the repository that released the app may remove it (409 otherwise).
 * 200 `{decision, reasonCode, gitopsSha?, message}`.
 */
export function deleteReleases(services: AppServices): Route {
  return {
    method: "DELETE",
    path: "/api/releases",
    async handle({ req, query, log }) {
      const caller = await callerOf(services, req);
      const repository = repositoryFor(caller, query.get("repository"));
      const env = query.get("env");
      const app = query.get("app");
      const missing = [
        ...(env ? [] : [{ path: "env", message: "required: the environment" }]),
        ...(app ? [] : [{ path: "app", message: "required: the app" }]),
      ];
      if (!env || !app)
        throw new HttpError(400, "config_invalid", missing.map((p) => `${p.path}: ${p.message}`).join("\n"), missing);
      const config = await services.configs.get(repository);
      if (!config.environments[env])
        throw new HttpError(400, "config_invalid", `env: ${env} is not configured`, [
          { path: "env", message: `not configured (configured: ${Object.keys(config.environments).join(", ")})` },
        ]);
      authorizeRelease(config, env, caller);
      const actor = actorOf(caller);
      const outcome = await removeApp(
        { ...services, log, deps: { ...services.deps, log } },
        { repository, config, env, app, reason: `removed by ${actor}`, actor },
      );
      if (outcome.decision === "not_owner") throw new HttpError(409, "conflict", outcome.message);
      return { status: 200, body: outcome };
    },
  };
}
