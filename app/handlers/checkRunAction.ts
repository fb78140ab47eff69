import { GimletError } from "../../shared/errors.js";
import { findArtifact } from "../releases/artifacts.js";
import { CHECK_RUN_NAME } from "../releases/checkRunView.js";
import { prepareRelease, startRelease } from "../releases/release.js";
import { track } from "../services.js";
import type { WebhookHandler } from "./types.js";

interface RequestedActionPayload {
  requested_action?: { identifier: string };
  check_run: { name: string; external_id: string | null; head_sha: string };
  repository: { full_name: string };
  sender: { login: string };
}

/**
 * `check_run.requested_action`: a "Deploy to <env>" button on an artifact's check run. GitHub shows the buttons
 * only to people with write access; the identifier is `deploy:<index of the manifest in the artifact>`.
 */
export const checkRunActionHandler: WebhookHandler = {
  event: "check_run.requested_action",
  async handle(services, { payload }: { payload: RequestedActionPayload }) {
    const identifier = payload.requested_action?.identifier ?? "";
    const match = /^deploy:(\d+)$/.exec(identifier);
    if (payload.check_run.name !== CHECK_RUN_NAME || !match || !payload.check_run.external_id) return;
    const repository = payload.repository.full_name;
    const config = await services.configs.get(repository);
    const artifact = await findArtifact(
      services.deps.forge,
      config,
      repository,
      payload.check_run.external_id,
      payload.check_run.head_sha,
    );
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
      track(services, release.reported);
    } catch (error) {
      if (!(error instanceof GimletError)) throw error;
      services.log.warn(
        { repo: repository, env: manifest.env, app: manifest.app, err: error },
        "button release refused",
      );
    }
  },
};
