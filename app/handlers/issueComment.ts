import { answerComment } from "../commands/run.js";
import type { WebhookHandler } from "./types.js";

interface IssueCommentPayload {
  issue: { number: number; pull_request?: unknown };
  comment: { id: number; body?: string | null; created_at: string; user: { login: string; type?: string } | null };
  repository: { full_name: string };
}

/** `issue_comment.created`: a `/gimlet` command on a pull request (DESIGN §8); every other comment costs nothing. */
export const issueCommentHandler: WebhookHandler = {
  event: "issue_comment.created",
  async handle(services, { payload }: { payload: IssueCommentPayload }) {
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
};
