import { describe, expect, test } from "@jest/globals";
import { summaryWithNote } from "../../app/commands/checkRunNote.js";
import {
  PREVIEW_MARKER,
  parsePreviewRows,
  previewCommentBody,
  upsertPreviewComment,
  withRow,
} from "../../app/previews/comment.js";
import type { Conversation, IssueComment } from "../../shared/commands/index.js";

/** The comment part of the Conversation port over an array, answering asynchronously like the API does. */
function memoryConversation() {
  const comments: IssueComment[] = [];
  let nextId = 1;
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const unused = async (): Promise<never> => {
    throw new Error("not used here");
  };
  const conversation = {
    getPullRequest: unused,
    pullRequestsOfBranch: unused,
    commitDate: unused,
    firstPushed: unused,
    permissionOf: unused,
    isTeamMember: unused,
    addReaction: unused,
    removeReaction: unused,
    async createComment(_repository: string, _n: number, body: string) {
      await tick();
      const comment = { id: nextId++, body, author: "gimlet[bot]", url: "" };
      comments.push(comment);
      return comment;
    },
    async updateComment(_repository: string, id: number, body: string) {
      await tick();
      const found = comments.find((c) => c.id === id);
      if (found) found.body = body;
    },
    async deleteComment(_repository: string, id: number) {
      await tick();
      comments.splice(
        comments.findIndex((c) => c.id === id),
        1,
      );
    },
    async listComments() {
      await tick();
      return comments.map((c) => ({ ...c }));
    },
    claimDelivery: unused,
    releaseDelivery: unused,
  } satisfies Conversation;
  return { conversation, comments };
}

const row = (app: string, sha: string) => ({
  env: "staging",
  app,
  sha,
  state: "committed",
  updated: "2026-01-01T00:00:00Z",
});

describe("the PR's preview comment", () => {
  test("rows survive a round trip through the hidden JSON, `-->` in a value included", () => {
    const rows = [
      row("shop-pr-7", "a".repeat(40)),
      { ...row("api-pr-7", "b".repeat(40)), removed: "PR #7 closed -->" },
    ];
    const body = previewCommentBody(rows);
    expect(body.startsWith(PREVIEW_MARKER)).toBe(true);
    expect(parsePreviewRows(body)).toEqual([rows[1], rows[0]]);
    expect(parsePreviewRows("no state here")).toEqual([]);
  });

  test("two replicas creating it at the same moment leave one comment with both rows", async () => {
    const { conversation, comments } = memoryConversation();
    await Promise.all([
      upsertPreviewComment(conversation, "acme/shop", 7, (rows) => withRow(rows, row("shop-pr-7", "a".repeat(40)))),
      upsertPreviewComment(conversation, "acme/shop", 7, (rows) => withRow(rows, row("api-pr-7", "b".repeat(40)))),
    ]);
    expect(comments).toHaveLength(1);
    expect(parsePreviewRows(comments[0]?.body ?? "").map((r) => r.app)).toEqual(["api-pr-7", "shop-pr-7"]);
  });
});

describe("a button's note in the check run summary", () => {
  const summary = [
    "Artifact `x` for push main (5f2b3c4).",
    "",
    "| Environment | App | Policy | Why | State |",
    "|---|---|---|---|---|",
    "| production | shop | — | event_mismatch: a \\| b | |",
    "| staging | shop | — | branch_mismatch: no | |",
  ].join("\n");

  test("sets the state cell of the env's row only, escaped pipes in the reason untouched, and appends a line", () => {
    const once = summaryWithNote(
      summary,
      "staging",
      "shop",
      "refused: locked",
      "@a pressed Deploy to staging: refused",
    );
    expect(once.split("\n").slice(4, 6)).toEqual([
      "| production | shop | — | event_mismatch: a \\| b | |",
      "| staging | shop | — | branch_mismatch: no | refused: locked |",
    ]);
    const twice = summaryWithNote(once, "staging", "shop", "queued by @b", "@b pressed Deploy to staging: queued");
    expect(twice.split("\n").slice(-3)).toEqual([
      "**Deploy buttons**",
      "- @a pressed Deploy to staging: refused",
      "- @b pressed Deploy to staging: queued",
    ]);
  });
});
