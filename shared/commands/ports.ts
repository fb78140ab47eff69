import type { RepositoryName } from "../ports.js";

/** A pull request as the commands read it. */
export interface PullRequestInfo {
  number: number;
  state: "open" | "closed";
  merged: boolean;
  headSha: string;
  headRef: string;
  /** `owner/repo` of the head; differs from the base repository for a fork PR (undefined when the fork is gone). */
  headRepository?: RepositoryName;
  baseRepository: RepositoryName;
  url: string;
}

export interface IssueComment {
  id: number;
  body: string;
  author: string;
  url: string;
}

/** A collaborator's permission on a repository, as GitHub names it. */
export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export type ReactionContent = "eyes" | "rocket" | "confused";

/**
 * The conversation side of a forge (pull requests, comments, reactions, permissions): what comment commands and
 * preview comments need. A port of its own so the release Forge stays as it is.
 */
export interface Conversation {
  getPullRequest(repository: RepositoryName, number: number): Promise<PullRequestInfo | undefined>;
  /** Numbers of the pull requests (any state) whose head is `branch` of this repository, newest first. */
  pullRequestsOfBranch(repository: RepositoryName, branch: string): Promise<number[]>;
  /** The committer date of a commit (ISO), undefined when unknown. */
  commitDate(repository: RepositoryName, sha: string): Promise<string | undefined>;
  /**
   * When the commit was first pushed (ISO), as far as the forge tells: on GitHub the earliest check suite of the
   * commit, which GitHub creates when the push arrives. Undefined when unknown.
   */
  firstPushed(repository: RepositoryName, sha: string): Promise<string | undefined>;
  /** The collaborator permission of a user ("none" for a stranger). */
  permissionOf(repository: RepositoryName, login: string): Promise<Permission>;
  /** Is `login` an active member of the team `org/teamSlug`? */
  isTeamMember(org: string, teamSlug: string, login: string, repository: RepositoryName): Promise<boolean>;
  /**
   * React to a comment as the app. `created: false` means the app had already reacted with that content: GitHub
   * keeps one reaction per user and content, which makes the first reaction a claim no other replica can also win.
   */
  addReaction(
    repository: RepositoryName,
    commentId: number,
    content: ReactionContent,
  ): Promise<{ id: number; created: boolean }>;
  removeReaction(repository: RepositoryName, commentId: number, reactionId: number): Promise<void>;
  createComment(repository: RepositoryName, issueNumber: number, body: string): Promise<IssueComment>;
  updateComment(repository: RepositoryName, commentId: number, body: string): Promise<void>;
  deleteComment(repository: RepositoryName, commentId: number): Promise<void>;
  /** Comments of an issue or pull request, oldest first. */
  listComments(repository: RepositoryName, issueNumber: number): Promise<IssueComment[]>;
  /**
   * Claim one webhook delivery for this replica, on GitHub's own state (a ref `refs/gimlet/deliveries/<id>` created
   * at `sha`, which GitHub creates once): false when another replica, or an earlier delivery, already claimed it.
   */
  claimDelivery(repository: RepositoryName, sha: string, deliveryId: string): Promise<boolean>;
  /** Give a claim back (the work failed before it started), so GitHub's redelivery runs it again. */
  releaseDelivery(repository: RepositoryName, deliveryId: string): Promise<void>;
}
