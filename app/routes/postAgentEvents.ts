import { REPOSITORY_NAME } from "../../shared/names.js";
import { parseAgentEvent, rolloutOutcome } from "../agent/event.js";
import { settleRollout } from "../agent/settle.js";
import { verifyAgentToken, verifyScopedAgentToken } from "../auth/index.js";
import { followSettledReplies } from "../commands/settledReplies.js";
import { HttpError } from "../http/errors.js";
import type { Route } from "../http/router.js";
import { type AppServices, track } from "../services.js";
import { jsonBody } from "./common.js";
import { knownRepository } from "./knownRepository.js";

/**
 * `POST /api/agent/events?repository=<gitops owner/repo>[&branch=main]`: the cluster agent's rollout reports
 * (`Authorization: Bearer <agent token>`). A healthy rollout turns the release's deployment green; a failed one red.
 */
export function postAgentEvents(services: AppServices): Route {
  return {
    method: "POST",
    path: "/api/agent/events",
    async handle({ req, query, log }) {
      verifyAgentToken(
        req.headers.authorization,
        services.agentTokens.map((t) => t.sha256),
      );
      const repository = query.get("repository");
      if (!repository || !REPOSITORY_NAME.test(repository)) {
        throw new HttpError(
          400,
          "config_invalid",
          "repository: add ?repository=<owner>/<gitops repo> to the agent's server address",
          [{ path: "repository", message: "required: the gitops repository, owner/repo" }],
        );
      }
      verifyScopedAgentToken(req.headers.authorization, services.agentTokens, repository);
      const event = parseAgentEvent(await jsonBody(req, services.limits.jsonMaxDepth));
      const outcome = rolloutOutcome(event);
      if (outcome === "progressing") return { status: 202, body: { outcome, settled: [] } };
      await knownRepository(services, repository);
      const settled = await settleRollout(
        { ...services.deps, log },
        { repository, branch: query.get("branch") ?? "main" },
        event,
        outcome,
      );
      // a command's reply moves on to healthy or failed (policy releases cost nothing here)
      track(
        services,
        followSettledReplies(services, { repository, branch: query.get("branch") ?? "main" }, settled, "agent"),
      );
      return { status: 200, body: { outcome, settled } };
    },
  };
}
