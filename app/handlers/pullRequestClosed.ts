import { cleanupAfter, configOrNothing, releasePullRequestLocks } from "../previews/cleanup.js";
import type { WebhookHandler } from "./types.js";

interface PullRequestClosedPayload {
  pull_request: { number: number; merged?: boolean | null; head: { ref: string } };
  repository: { full_name: string; default_branch: string };
}

/** `pull_request.closed` (merged or not): its previews and the apps its cleanup policies name go; its locks are released. */
export const pullRequestClosedHandler: WebhookHandler = {
  event: "pull_request.closed",
  async handle(services, { payload }: { payload: PullRequestClosedPayload }) {
    const repository = payload.repository.full_name;
    const pr = payload.pull_request;
    const why = `PR #${pr.number} ${pr.merged ? "merged" : "closed"}`;
    const config = await configOrNothing(services, repository);
    if (!config) return;
    const released = await releasePullRequestLocks(services, config, repository, pr.number);
    const removed = await cleanupAfter(services, {
      repository,
      defaultBranch: payload.repository.default_branch,
      trigger: { event: "prClosed", branch: pr.head.ref, prNumber: pr.number },
      why,
    });
    services.log.info(
      { pr: pr.number, locksReleased: released, removed: removed.map((r) => `${r.env}/${r.app}: ${r.reasonCode}`) },
      `${why}: cleaned up`,
    );
  },
};
