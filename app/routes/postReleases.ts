import { z } from "zod";
import { selectManifests } from "../../shared/release/index.js";
import type { Route } from "../http/router.js";
import { findReleasableArtifact } from "../releases/artifactPending.js";
import { checkRenderedReleases } from "../releases/preflight.js";
import { prepareRelease, startRelease } from "../releases/release.js";
import { type AppServices, track } from "../services.js";
import { actorOf, authorizedEnvRequest } from "./common.js";

const bodySchema = z.strictObject({
  env: z.string({ error: "required: the environment" }).min(1),
  app: z.string().min(1).optional(),
  artifactId: z.string({ error: "required: the artifact id" }).min(1),
  repository: z.string().optional(),
});

/** `POST /api/releases {env, app?, artifactId}`: a manual release, 202 `{trackingId, releases}`. */
export function postReleases(services: AppServices): Route {
  return {
    method: "POST",
    path: "/api/releases",
    async handle({ req, log }) {
      const { caller, body, repository, config } = await authorizedEnvRequest(services, req, bodySchema);
      // An artifact this replica accepted moments ago may still be on its way to storage (commit first).
      await services.deps.deployFirst?.artifactStored(body.artifactId);
      // Accepted on another replica moments ago: "not stored yet" (503, Retry-After), never a false 404.
      const artifact = await findReleasableArtifact(
        services.deps.forge,
        config,
        services.deps.clock,
        repository,
        body.artifactId,
      );
      const deps = { ...services.deps, log };
      const requests = selectManifests(artifact, body.env, body.app).map((manifest) => ({
        artifact,
        manifest,
        config,
        triggeredBy: actorOf(caller),
        trigger: "manual" as const,
      }));
      const rendered = requests.map((request) => prepareRelease(request));
      checkRenderedReleases(rendered, services.limits); // names and limits, before any deployment exists
      const started = [];
      for (const [i, request] of requests.entries()) started.push(await startRelease(deps, request, rendered[i]));
      for (const release of started) track(services, release.reported);
      return {
        status: 202,
        body: {
          trackingId: started[0]?.trackingId,
          releases: started.map((r) => ({ env: r.env, app: r.app, trackingId: r.trackingId })),
        },
      };
    },
  };
}
