import { z } from "zod";
import { cleanupAfter, configOrNothing, releasePullRequestLocks } from "../previews/cleanup.js";
import { webhookHandler } from "./types.js";

const PullRequestClosed = z.looseObject({
  pull_request: z.looseObject({
    number: z.number(),
    merged: z.boolean().nullish(),
    head: z.looseObject({ ref: z.string() }),
  }),
  repository: z.looseObject({ full_name: z.string(), default_branch: z.string() }),
});

/** `pull_request.closed` (merged or not): its previews and the apps its cleanup policies name go; its locks are released. */
export const pullRequestClosedHandler = webhookHandler(
  "pull_request.closed",
  PullRequestClosed,
  async (services, { payload }) => {
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
);
