import { NotFound } from "../../shared/errors.js";
import { authorizeRepository } from "../auth/index.js";
import type { Route } from "../http/router.js";
import { DEFAULT_RELEASE_TIMEOUT_MS, releaseFinal } from "../releases/overdue.js";
import { gitopsShaOf, parseTrackingId, trackingStatus } from "../releases/tracking.js";
import type { AppServices } from "../services.js";
import { callerOf } from "./common.js";

/** `GET /api/releases/track/:trackingId`: `{status, gitopsSha, deploymentUrl, message}` from the deployment's statuses. */
export function getTrack(services: AppServices): Route {
  return {
    method: "GET",
    path: "/api/releases/track/:trackingId",
    async handle({ req, params }) {
      const caller = await callerOf(services, req);
      const { repository, deploymentId } = parseTrackingId(params.trackingId ?? "");
      authorizeRepository(caller, repository);
      const deployment = await services.deps.forge.getDeployment(repository, deploymentId);
      if (!deployment) throw new NotFound(`no release ${params.trackingId}`);
      const statuses = await services.deps.forge.listDeploymentStatuses(repository, deploymentId);
      const { env, app } = deployment.payload;
      return {
        status: 200,
        body: {
          // Which release this is, so a client holding only the tracking id can say "staging/shop: committed".
          ...(typeof env === "string" ? { env } : {}),
          ...(typeof app === "string" ? { app } : {}),
          status: trackingStatus(statuses, deployment.payload),
          final: releaseFinal(
            deployment,
            statuses,
            services.deps.clock.now(),
            services.deps.releaseTimeoutMs ?? DEFAULT_RELEASE_TIMEOUT_MS,
          ),
          gitopsSha: gitopsShaOf(statuses) ?? null,
          deploymentUrl: deployment.url,
          environmentUrl: statuses.find((s) => s.environmentUrl)?.environmentUrl ?? null,
          message: statuses[0]?.description ?? "queued",
        },
      };
    },
  };
}
