import { DNS_LABEL, dnsLabelMessage } from "../../shared/validation.js";
import { verifyFluxSignature } from "../auth/index.js";
import { fluxOutcome, parseFluxEvent } from "../flux/event.js";
import { settleRevision } from "../flux/settle.js";
import { parseJson, readBody } from "../http/body.js";
import { HttpError } from "../http/errors.js";
import type { Route } from "../http/router.js";
import type { AppServices } from "../services.js";
import { JSON_LIMIT } from "./common.js";
import { knownRepository } from "./knownRepository.js";

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * `POST /api/flux-events?repository=<gitops owner/repo>&env=<env>[&branch=main]`: Flux notification-controller events from a
 * `generic-hmac` Provider. The signature covers the raw body; a bad one is 401 and changes nothing.
 */
export function postFluxEvents(services: AppServices): Route {
  return {
    method: "POST",
    path: "/api/flux-events",
    async handle({ req, query, log }) {
      if (!services.fluxSecret)
        throw new HttpError(
          503,
          "not_configured",
          "Flux events are not configured on this server (set FLUX_WEBHOOK_SECRET)",
        );
      const raw = await readBody(req, JSON_LIMIT);
      verifyFluxSignature(raw, req.headers["x-signature"] as string | undefined, services.fluxSecret);
      const repository = query.get("repository");
      if (!repository || !REPOSITORY.test(repository)) {
        throw new HttpError(
          400,
          "config_invalid",
          "repository: add ?repository=<owner>/<gitops repo> to the Flux Provider address",
          [{ path: "repository", message: "required: the gitops repository, owner/repo" }],
        );
      }
      const event = parseFluxEvent(parseJson(raw, services.limits.jsonMaxDepth));
      const outcome = fluxOutcome(event);
      if (outcome === "ignored")
        return {
          status: 202,
          body: {
            ignored: true,
            reason: `${event.kind} ${event.reason || event.severity} events do not settle releases`,
          },
        };
      const revision = event.revision as { branch?: string; sha: string };
      const env = query.get("env") ?? undefined;
      if (env !== undefined && !DNS_LABEL.test(env))
        throw new HttpError(400, "config_invalid", `env: ${dnsLabelMessage}`, [
          { path: "env", message: dnsLabelMessage },
        ]);
      await knownRepository(services, repository);
      const settled = await settleRevision(
        { ...services.deps, log },
        {
          repository,
          env,
          branch: query.get("branch") ?? revision.branch ?? "main",
          sha: revision.sha,
          outcome,
          message: event.message,
        },
      );
      return { status: 200, body: { outcome, sha: revision.sha, settled } };
    },
  };
}
