import type { StoredArtifact } from "../../shared/artifact/index.js";
import type { GimletConfig } from "../../shared/config/index.js";
import { GimletError, toError } from "../../shared/errors.js";
import type { Manifest } from "../../shared/manifest/index.js";
import { prepareRelease, startRelease } from "../releases/release.js";
import type { AppServices } from "../services.js";
import { isDeployer } from "./authorize.js";
import { type CheckRunSnapshot, noteOnCheckRun } from "./checkRunNote.js";
import { gitopsTarget } from "./context.js";

export interface ButtonPress {
  repository: string;
  deliveryId: string;
  sender: string;
  artifact: StoredArtifact;
  manifest: Manifest;
  config: GimletConfig;
  checkRun: CheckRunSnapshot;
}

export type ButtonReasonCode =
  | "not_a_deployer"
  | "locked"
  | "pinned"
  | "invalid_manifest"
  | "release_failed"
  | "already_handled"
  | "deploy_started";

/** Why a press is refused, checked before any write: the env's deployers (teams too), someone else's lock, a pin. */
async function refusal(
  services: AppServices,
  press: ButtonPress,
): Promise<{ reasonCode: ButtonReasonCode; message: string } | undefined> {
  const { config, manifest, sender, repository } = press;
  const deployers = config.environments[manifest.env]?.deployers ?? [];
  if (deployers.length) {
    const member = services.conversation
      ? await isDeployer(services.conversation, services.deps.clock, deployers, sender, repository)
      : deployers.some((d) => d.toLowerCase() === sender.toLowerCase());
    if (!member)
      return {
        reasonCode: "not_a_deployer",
        message: `environment ${manifest.env} names its deployers (${deployers.join(", ")}); @${sender} is not one of them`,
      };
  }
  let rendered: ReturnType<typeof prepareRelease>;
  try {
    rendered = prepareRelease({ artifact: press.artifact, manifest, config, triggeredBy: sender, trigger: "button" });
  } catch (error) {
    if (error instanceof GimletError) return { reasonCode: "invalid_manifest", message: error.message };
    throw error;
  }
  const state = await services.deps.writer.readEnvState(gitopsTarget(config, manifest.env), [rendered.app]);
  if (state.lock && state.lock.by.toLowerCase() !== sender.toLowerCase())
    return {
      reasonCode: "locked",
      message: `environment ${manifest.env} is locked by @${state.lock.by} since ${state.lock.created}${state.lock.reason ? `: ${state.lock.reason}` : ""}`,
    };
  const pinned = state.releases.get(rendered.app);
  if (pinned?.pinned)
    return {
      reasonCode: "pinned",
      message: `${manifest.env}/${rendered.app} is pinned by a rollback${pinned.rollback?.of ? ` to ${pinned.rollback.of.slice(0, 7)}` : ""}; a button does not undo a rollback: release it with \`/gimlet deploy ${manifest.env}\` or the API`,
    };
  return undefined;
}

/**
 * A "Deploy to <env>" press, answered in the artifact's check run (the state cell and one line), whether it is
 * refused, fails or is released. A redelivery that finds the deployment its delivery id made does nothing.
 */
export async function answerButton(services: AppServices, press: ButtonPress): Promise<ButtonReasonCode> {
  const { repository, manifest, artifact, sender } = press;
  const write = async (state: string, line: string, snapshot = press.checkRun) =>
    noteOnCheckRun(services.deps.forge, repository, snapshot, {
      env: manifest.env,
      app: manifest.app,
      state,
      line,
    });
  const refused = await refusal(services, press);
  if (refused) {
    await write(
      `refused: ${refused.reasonCode}`,
      `@${sender} pressed Deploy to ${manifest.env}: refused (\`${refused.reasonCode}\`): ${refused.message}`,
    );
    services.log.info({ env: manifest.env, sender, reasonCode: refused.reasonCode }, "button release refused");
    return refused.reasonCode;
  }
  // One release per press across replicas and redeliveries: the first to claim the delivery on GitHub releases.
  const conversation = services.conversation;
  if (conversation && !(await conversation.claimDelivery(repository, artifact.version.sha, press.deliveryId)))
    return "already_handled";
  const giveBack = () =>
    conversation
      ?.releaseDelivery(repository, press.deliveryId)
      .catch((error) => services.log.warn({ err: error }, "could not give back a button press claim"));
  let started: Awaited<ReturnType<typeof startRelease>>;
  try {
    const request = {
      artifact,
      manifest,
      config: press.config,
      triggeredBy: sender,
      trigger: "button" as const,
      payload: { deliveryId: press.deliveryId },
    };
    started = await startRelease(services.deps, request, prepareRelease(request));
  } catch (error) {
    await write(
      "failed",
      `@${sender} pressed Deploy to ${manifest.env}: failed (\`release_failed\`): ${toError(error).message}`,
    );
    if (!(error instanceof GimletError)) {
      await giveBack(); // not the press's fault: GitHub's redelivery may run it again
      throw error;
    }
    return "release_failed";
  }
  // Commit first: the deployment is created once the gitops commit is pushed, so by then the push's outcome is known
  // too; the press is answered with both in one check-run write (a `queued` write first would be replaced at once).
  const [deployment, outcome] = await Promise.all([started.reported, started.pushed]);
  const failed = outcome.decision === "failed" || outcome.decision === "refused";
  const state = failed
    ? `failed: ${outcome.message ?? "gitops write failed"}`
    : outcome.decision === "unchanged"
      ? "already deployed"
      : `committed ${outcome.gitopsSha?.slice(0, 7) ?? ""}`.trim();
  await write(
    state,
    `@${sender} pressed Deploy to ${manifest.env}: ${state}${deployment ? ` ([deployment](${deployment.url}))` : ""}`,
  ).catch((error) => services.log.warn({ err: error }, "could not update the check run"));
  return "deploy_started";
}
