import { z } from "zod";
import { answerComment } from "../commands/run.js";
import { webhookHandler } from "./types.js";

const IssueComment = z.looseObject({
  issue: z.looseObject({ number: z.number(), pull_request: z.unknown().optional() }),
  comment: z.looseObject({
    id: z.number(),
    body: z.string().nullish(),
    created_at: z.string(),
    user: z.looseObject({ login: z.string(), type: z.string().optional() }).nullable(),
  }),
  repository: z.looseObject({ full_name: z.string() }),
});

/** `issue_comment.created`: a `/gimlet` command on a pull request (DESIGN §8); every other comment costs nothing. */
export const issueCommentHandler = webhookHandler(
  "issue_comment.created",
  IssueComment,
  async (services, { payload }) => {
    const result = await answerComment(services, {
      repository: payload.repository.full_name,
      issueNumber: payload.issue.number,
      isPullRequest: Boolean(payload.issue.pull_request),
      comment: {
        id: payload.comment.id,
        body: payload.comment.body ?? "",
        createdAt: payload.comment.created_at,
        author: payload.comment.user?.login ?? "",
        authorIsBot: payload.comment.user?.type === "Bot",
      },
    });
    if (result.handled || result.why !== "not_a_command")
      services.log.info({ issue: payload.issue.number, comment: payload.comment.id, result }, "comment handled");
  },
);
