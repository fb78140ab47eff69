import { z } from "zod";
import { cleanupAfter, configOrNothing } from "../previews/cleanup.js";
import { webhookHandler } from "./types.js";

const Delete = z.looseObject({
  ref: z.string(),
  ref_type: z.string(),
  repository: z.looseObject({ full_name: z.string(), default_branch: z.string() }),
});

/**
 * `delete` of a branch: the cleanup policies that match it run, and the previews of the PRs whose head it was go
 * (looked up through the API, since the event does not name them). Tag deletions are ignored.
 */
export const deleteHandler = webhookHandler("delete", Delete, async (services, { payload }) => {
  if (payload.ref_type !== "branch") return;
  const repository = payload.repository.full_name;
  if (!(await configOrNothing(services, repository))) return;
  const branch = payload.ref.replace(/^refs\/heads\//, "");
  const prs = (await services.conversation?.pullRequestsOfBranch(repository, branch)) ?? [];
  const why = `branch ${branch} deleted`;
  const triggers = prs.length ? prs.map((prNumber) => ({ prNumber })) : [{ prNumber: undefined }];
  for (const { prNumber } of triggers) {
    const removed = await cleanupAfter(services, {
      repository,
      defaultBranch: payload.repository.default_branch,
      trigger: { event: "branchDeleted", branch, ...(prNumber !== undefined ? { prNumber } : {}) },
      why,
    });
    services.log.info({ branch, pr: prNumber, removed: removed.map((r) => `${r.env}/${r.app}: ${r.reasonCode}`) }, why);
  }
});
