import { z } from "zod";
import { GimletError } from "../../shared/errors.js";
import { findArtifact } from "../releases/artifacts.js";
import { CHECK_RUN_NAME } from "../releases/checkRunView.js";
import { prepareRelease, startRelease } from "../releases/release.js";
import { track } from "../services.js";
import { webhookHandler } from "./types.js";

/** The fields the handler relies on; GitHub omits `requested_action` from some deliveries. */
const RequestedAction = z.looseObject({
  requested_action: z.looseObject({ identifier: z.string() }).nullish(),
  check_run: z.looseObject({ name: z.string(), external_id: z.string().nullable() }),
  repository: z.looseObject({ full_name: z.string() }),
  sender: z.looseObject({ login: z.string() }),
});

/**
 * `check_run.requested_action`: a "Deploy to <env>" button on an artifact's check run. GitHub shows the buttons
 * only to people with write access; the identifier is `deploy:<index of the manifest in the artifact>`.
 */
export const checkRunActionHandler = webhookHandler(
  "check_run.requested_action",
  RequestedAction,
  async (services, { payload }) => {
    const identifier = payload.requested_action?.identifier ?? "";
    const match = /^deploy:(\d+)$/.exec(identifier);
    if (payload.check_run.name !== CHECK_RUN_NAME || !match || !payload.check_run.external_id) return;
    const repository = payload.repository.full_name;
    const config = await services.configs.get(repository);
    const artifact = await findArtifact(services.deps.forge, config, repository, payload.check_run.external_id);
    const manifest = artifact.environments[Number(match[1])];
    if (!manifest) {
      services.log.warn({ repo: repository, identifier }, "button for a manifest the artifact does not have");
      return;
    }
    const deployers = config.environments[manifest.env]?.deployers ?? [];
    if (deployers.length && !deployers.some((d) => d.toLowerCase() === payload.sender.login.toLowerCase())) {
      services.log.warn(
        { repo: repository, env: manifest.env, sender: payload.sender.login },
        "button release refused: the env names its deployers",
      );
      return;
    }
    try {
      const request = { artifact, manifest, config, triggeredBy: payload.sender.login, trigger: "button" as const };
      const release = await startRelease(services.deps, request, prepareRelease(request));
      track(services, release.pushed);
    } catch (error) {
      if (!(error instanceof GimletError)) throw error;
      services.log.warn(
        { repo: repository, env: manifest.env, app: manifest.app, err: error },
        "button release refused",
      );
    }
  },
);
