import { REPOSITORY_NAME } from "../../shared/names.js";
import { DNS_LABEL, dnsLabelMessage } from "../../shared/validation.js";
import { AuthError, verifyFluxSignature } from "../auth/index.js";
import { followSettledReplies } from "../commands/settledReplies.js";
import { fluxOutcome, parseFluxEvent } from "../flux/event.js";
import { settleRevision } from "../flux/settle.js";
import { parseJson, readBody } from "../http/body.js";
import { HttpError } from "../http/errors.js";
import type { Route } from "../http/router.js";
import { type AppServices, track } from "../services.js";
import { JSON_LIMIT } from "./common.js";
import { knownRepository } from "./knownRepository.js";

/**
 * `POST /api/flux-events?repository=<gitops owner/repo>&env=<env>[&branch=main]`: Flux notification-controller events from a
 * `generic-hmac` Provider. The signature covers the raw body; a bad one is 401 and changes nothing.
 */
export function postFluxEvents(services: AppServices): Route {
  return {
    method: "POST",
    path: "/api/flux-events",
    async handle({ req, query, log }) {
      const repository = query.get("repository");
      const secret = fluxSecretFor(services, repository);
      const raw = await readBody(req, JSON_LIMIT);
      verifyFluxSignature(raw, req.headers["x-signature"] as string | undefined, secret);
      if (!repository || !REPOSITORY_NAME.test(repository)) {
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
      const branch = query.get("branch") ?? revision.branch ?? "main";
      // The signature binds the event to this repository's secret; the revision must also be one of its branch's commits.
      if (!(await services.deps.writer.isOnBranch({ repo: repository, branch }, revision.sha)))
        return {
          status: 202,
          body: {
            ignored: true,
            reasonCode: "revision_not_on_branch",
            reason: `${revision.sha} is not a commit of ${repository}@${branch}`,
          },
        };
      const settled = await settleRevision(
        { ...services.deps, log },
        {
          repository,
          env,
          branch,
          sha: revision.sha,
          outcome,
          message: event.message,
        },
      );
      // a command's reply moves on too (policy releases cost nothing here)
      track(
        services,
        followSettledReplies(
          services,
          { repository, branch: query.get("branch") ?? revision.branch ?? "main" },
          settled,
        ),
      );
      return { status: 200, body: { outcome, sha: revision.sha, settled } };
    },
  };
}

/**
 * The secret that must have signed an event for `repository`: its own from FLUX_WEBHOOK_SECRETS, else the shared
 * FLUX_WEBHOOK_SECRET. A repository with its own secret never accepts the shared one, so one cluster's secret
 * can't settle another cluster's repository (the query string is not signed; the secret choice binds it).
 */
function fluxSecretFor(services: AppServices, repository: string | null): string {
  const own = repository ? services.fluxSecrets?.get(repository.toLowerCase()) : undefined;
  if (own) return own;
  if (services.fluxSecret) return services.fluxSecret;
  if (services.fluxSecrets?.size)
    throw new AuthError(
      401,
      "bad_hmac",
      `no Flux secret for ${repository ?? "this repository"}: add it to FLUX_WEBHOOK_SECRETS`,
    );
  throw new HttpError(
    503,
    "not_configured",
    "Flux events are not configured on this server (set FLUX_WEBHOOK_SECRETS or FLUX_WEBHOOK_SECRET)",
  );
}
