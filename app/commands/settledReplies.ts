import { runGit } from "../../shared/gitops/git.js";
import type { DeploymentState } from "../../shared/ports.js";
import { settledPayload } from "../flux/settle.js";
import type { AppServices } from "../services.js";
import { type ReleaseState, withReplyState } from "./reply.js";

export interface SettledRelease {
  repository: string;
  deploymentId: number;
  state: DeploymentState;
  gitopsSha: string;
}

/** The reply's next state and line for a release Flux (or the cluster agent) settled. */
function replyStep(by: "flux" | "agent", state: DeploymentState, sha7: string): [ReleaseState, string] {
  if (by === "agent")
    return state === "success"
      ? ["healthy", `rollout healthy at \`${sha7}\``]
      : ["failed", `rollout failed at \`${sha7}\``];
  if (state === "success") return ["applied", `Flux applied \`${sha7}\``];
  if (state === "in_progress") return ["applied", `Flux applied \`${sha7}\`; waiting for the rollout`];
  return ["failed", `Flux could not apply \`${sha7}\``];
}

/**
 * Flux (or the cluster agent) settled releases: a command's reply moves on from `committed` to `applied`, `healthy`
 * or `failed` (tracking's names). Only releases a person made are looked at: the gitops commit's subject
 * (`… by policy`) is read from the warm clone, so a policy release costs no API call here. A command's deployment
 * names its reply (`payload.replyId`) and PR.
 */
export async function followSettledReplies(
  services: AppServices,
  gitops: { repository: string; branch: string },
  settled: readonly SettledRelease[],
  by: "flux" | "agent" = "flux",
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
      const next = withReplyState(reply.body, ...replyStep(by, release.state, sha7));
      if (next !== reply.body) await conversation.updateComment(release.repository, replyId, next);
    } catch (error) {
      services.log.warn({ err: error, deployment: release.deploymentId }, "could not update the command's reply");
    }
  }
}
