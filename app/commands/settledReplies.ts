import { runGit } from "../../shared/gitops/git.js";
import type { DeploymentState } from "../../shared/ports.js";
import { settledPayload } from "../flux/settle.js";
import type { AppServices } from "../services.js";
import { withReplyState } from "./reply.js";

export interface SettledRelease {
  repository: string;
  deploymentId: number;
  state: DeploymentState;
  gitopsSha: string;
}

/**
 * Flux settled releases: a command's reply moves on from `committed` to `applied` or `failed` (tracking's names). Only
 * releases a person made are looked at: the gitops commit's subject (`… by policy`) is read from the warm clone, so a
 * policy release costs no API call here. A command's deployment names its reply (`payload.replyId`) and PR.
 */
export async function followSettledReplies(
  services: AppServices,
  gitops: { repository: string; branch: string },
  settled: readonly SettledRelease[],
): Promise<void> {
  const conversation = services.conversation;
  if (!conversation) return;
  const clone = services.deps.writer.clonePath({ repo: gitops.repository, branch: gitops.branch });
  for (const release of settled) {
    if (release.state === "inactive" || release.state === "queued") continue;
    try {
      const subject = (await runGit(clone, ["log", "-1", "--format=%s", release.gitopsSha])).toString("utf8").trim();
      if (!subject.startsWith("[gimlet] ") || subject.endsWith(" by policy")) continue;
      // settling listed the deployment already (its payload kept beside the result): no second read
      const payload =
        settledPayload(release) ??
        (await services.deps.forge.getDeployment(release.repository, release.deploymentId))?.payload;
      const replyId = Number(payload?.replyId);
      const prNumber = Number(payload?.prNumber);
      if (!Number.isInteger(replyId) || !Number.isInteger(prNumber) || replyId <= 0) continue;
      const reply = (await conversation.listComments(release.repository, prNumber)).find((c) => c.id === replyId);
      if (!reply) continue;
      const sha7 = release.gitopsSha.slice(0, 7);
      const next =
        release.state === "success"
          ? withReplyState(reply.body, "applied", `Flux applied \`${sha7}\``)
          : release.state === "in_progress"
            ? withReplyState(reply.body, "applied", `Flux applied \`${sha7}\`; waiting for the rollout`)
            : withReplyState(reply.body, "failed", `Flux could not apply \`${sha7}\``);
      if (next !== reply.body) await conversation.updateComment(release.repository, replyId, next);
    } catch (error) {
      services.log.warn({ err: error, deployment: release.deploymentId }, "could not update the command's reply");
    }
  }
}
