import { authorizeRef, authorizeRepository, environmentRefusal } from "../auth/index.js";
import type { Route } from "../http/router.js";
import { reportPreviews } from "../previews/releases.js";
import { acceptArtifact } from "../releases/intake.js";
import { checkArtifactWork } from "../releases/preflight.js";
import { type AppServices, track } from "../services.js";
import { callerOf, jsonBody } from "./common.js";

/** `POST /api/artifacts`: 201 `{id, decisions: [{env, app, deploy, outcome, reasonCode, reason, trackingId?}]}`. */
export function postArtifacts(services: AppServices): Route {
  return {
    method: "POST",
    path: "/api/artifacts",
    async handle({ req, log }) {
      const caller = await callerOf(services, req);
      const body = await jsonBody(req, services.limits.jsonMaxDepth);
      const accepted = await acceptArtifact(
        { ...services.deps, log },
        services.configs,
        body,
        {
          authorize(version) {
            authorizeRepository(caller, version.repositoryName);
            authorizeRef(caller, version);
          },
          releaseRefusal: (env) => environmentRefusal(caller, env),
        },
        (artifact) => checkArtifactWork(artifact, services.limits),
      );
      for (const release of accepted.releases) track(services, release.reported);
      track(services, accepted.checkRunUpdated);
      track(services, reportPreviews(services, accepted));
      return {
        status: 201,
        body: {
          id: accepted.artifact.id,
          decisions: accepted.decisions,
          ...(accepted.warnings.length ? { warnings: accepted.warnings } : {}),
        },
      };
    },
  };
}
