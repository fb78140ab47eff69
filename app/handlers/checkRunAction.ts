import { z } from "zod";
import { answerButton } from "../commands/button.js";
import { awaitStoredArtifact } from "../releases/artifactPending.js";
import { CHECK_RUN_NAME } from "../releases/checkRunView.js";
import { webhookHandler } from "./types.js";

/** The fields the handler relies on; GitHub omits `requested_action` from some deliveries. */
const RequestedAction = z.looseObject({
  requested_action: z.looseObject({ identifier: z.string() }).nullish(),
  check_run: z.looseObject({
    id: z.number(),
    name: z.string(),
    head_sha: z.string().optional(),
    external_id: z.string().nullable(),
    output: z.looseObject({ title: z.string().nullish(), summary: z.string().nullish() }).nullish(),
  }),
  repository: z.looseObject({ full_name: z.string() }),
  sender: z.looseObject({ login: z.string() }),
});

/**
 * `check_run.requested_action`: a "Deploy to <env>" button on an artifact's check run. GitHub shows the buttons
 * only to people with write access; the identifier is `deploy:<index of the manifest in the artifact>`. The answer
 * (refused, failed, queued, committed) is written back into the check run.
 */
export const checkRunActionHandler = webhookHandler(
  "check_run.requested_action",
  RequestedAction,
  async (services, { id, payload }) => {
    const identifier = payload.requested_action?.identifier ?? "";
    const match = /^deploy:(\d+)$/.exec(identifier);
    if (payload.check_run.name !== CHECK_RUN_NAME || !match || !payload.check_run.external_id) return;
    const repository = payload.repository.full_name;
    const config = await services.configs.get(repository);
    // the check run and the artifact file are written side by side: a press may come before the file is stored
    const artifact = await awaitStoredArtifact(
      services.deps.forge,
      config,
      services.deps.clock,
      repository,
      payload.check_run.external_id,
      payload.check_run.head_sha,
    );
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
);
