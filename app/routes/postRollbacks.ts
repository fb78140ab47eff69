import { z } from "zod";
import type { Route } from "../http/router.js";
import { rollbackRelease } from "../releases/rollback.js";
import { type AppServices, track } from "../services.js";
import { actorOf, authorizedEnvRequest } from "./common.js";

const bodySchema = z.strictObject({
  env: z.string({ error: "required: the environment" }).min(1),
  app: z.string({ error: "required: the app" }).min(1),
  to: z
    .string()
    .regex(/^[0-9a-f]{7,40}$/, "must be a gitops commit sha")
    .optional(),
  repository: z.string().optional(),
});

/** `POST /api/rollbacks {env, app, to?}`: restore the previous (or the given) release, pinned. 202 `{trackingId, rolledBackTo}`. */
export function postRollbacks(services: AppServices): Route {
  return {
    method: "POST",
    path: "/api/rollbacks",
    async handle({ req, log }) {
      const { caller, body, repository, config } = await authorizedEnvRequest(services, req, bodySchema);
      const started = await rollbackRelease(
        { ...services.deps, log },
        { repository, config, env: body.env, app: body.app, to: body.to, actor: actorOf(caller) },
      );
      track(services, started.reported);
      return { status: 202, body: { trackingId: started.trackingId, rolledBackTo: started.rolledBackTo } };
    },
  };
}
