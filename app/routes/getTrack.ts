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
      const trackingId = params.trackingId ?? "";
      const tracked = parseTrackingId(trackingId);
      const { repository } = tracked;
      authorizeRepository(caller, repository);
      // The deployment is created once the gitops commit is pushed: one list of that sha's deployments finds it.
      const deployment =
        tracked.deploymentId !== undefined
          ? await services.deps.forge.getDeployment(repository, tracked.deploymentId)
          : (await services.deps.forge.listDeployments(repository, { sha: tracked.sha })).find(
              (d) => d.payload.trackingId === trackingId,
            );
      if (!deployment) {
        if (tracked.deploymentId !== undefined) throw new NotFound(`no release ${params.trackingId}`);
        return {
          status: 200,
          body: {
            env: tracked.env,
            app: tracked.app,
            status: "queued",
            final: false,
            gitopsSha: null,
            deploymentUrl: null,
            environmentUrl: null,
            message: "queued: its deployment appears once the gitops commit is pushed",
          },
        };
      }
      const statuses = await services.deps.forge.listDeploymentStatuses(repository, deployment.id);
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
