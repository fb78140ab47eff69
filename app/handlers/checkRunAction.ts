import { answerButton } from "../commands/button.js";
import { findArtifact } from "../releases/artifacts.js";
import { CHECK_RUN_NAME } from "../releases/checkRunView.js";
import type { WebhookHandler } from "./types.js";

interface RequestedActionPayload {
  requested_action?: { identifier: string };
  check_run: {
    id: number;
    name: string;
    external_id: string | null;
    head_sha: string;
    output?: { title?: string | null; summary?: string | null };
  };
  repository: { full_name: string };
  sender: { login: string };
}

/**
 * `check_run.requested_action`: a "Deploy to <env>" button on an artifact's check run. GitHub shows the buttons
 * only to people with write access; the identifier is `deploy:<index of the manifest in the artifact>`. The answer
 * (refused, failed, queued, committed) is written back into the check run.
 */
export const checkRunActionHandler: WebhookHandler = {
  event: "check_run.requested_action",
  async handle(services, { id, payload }: { id: string; payload: RequestedActionPayload }) {
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
    await answerButton(services, {
      repository,
      deliveryId: id,
      sender: payload.sender.login,
      artifact,
      manifest,
      config,
      checkRun: {
        id: payload.check_run.id,
        title: payload.check_run.output?.title ?? "",
        summary: payload.check_run.output?.summary ?? "",
      },
    });
  },
};
