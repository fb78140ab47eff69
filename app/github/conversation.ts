import type {
  Conversation,
  IssueComment,
  Permission,
  PullRequestInfo,
  ReactionContent,
} from "../../shared/commands/index.js";
import type { RepositoryName } from "../../shared/ports.js";
import { githubCall, unlessNotFound } from "./errors.js";
import { type OctokitFor, splitRepository } from "./octokit.js";

const PERMISSIONS: readonly Permission[] = ["admin", "maintain", "write", "triage", "read", "none"];

interface GitHubComment {
  id: number;
  body?: string;
  user: { login: string } | null;
  html_url: string;
}

const toComment = (c: GitHubComment): IssueComment => ({
  id: c.id,
  body: c.body ?? "",
  author: c.user?.login ?? "",
  url: c.html_url,
});

/** The Conversation port over the GitHub REST API (pulls, issue comments, reactions, collaborators, teams). */
export class GitHubConversation implements Conversation {
  private readonly webBaseUrl: string;

  constructor(
    private readonly octokitFor: OctokitFor,
    options: { webBaseUrl?: string } = {},
  ) {
    this.webBaseUrl = (options.webBaseUrl ?? "https://github.com").replace(/\/+$/, "");
  }

  async getPullRequest(repository: RepositoryName, number: number): Promise<PullRequestInfo | undefined> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const response = await unlessNotFound(
      githubCall({ repository, permission: "pull_requests: read", action: `GET pulls/${number}` }, () =>
        octokit.rest.pulls.get({ owner, repo, pull_number: number }),
      ),
    );
    if (!response) return undefined;
    const pr = response.data;
    return {
      number: pr.number,
      state: pr.state === "closed" ? "closed" : "open",
      merged: Boolean(pr.merged),
      headSha: pr.head.sha,
      headRef: pr.head.ref,
      headRepository: pr.head.repo?.full_name,
      baseRepository: pr.base.repo.full_name,
      url: pr.html_url,
    };
  }

  async pullRequestsOfBranch(repository: RepositoryName, branch: string): Promise<number[]> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const { data } = await githubCall(
      { repository, permission: "pull_requests: read", action: `GET pulls?head=${owner}:${branch}` },
      () => octokit.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: "all", per_page: 20 }),
    );
    return data.map((pr) => pr.number);
  }

  async commitDate(repository: RepositoryName, sha: string): Promise<string | undefined> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const response = await unlessNotFound(
      githubCall({ repository, permission: "contents: read", action: `GET commits/${sha}` }, () =>
        octokit.rest.repos.getCommit({ owner, repo, ref: sha }),
      ),
    );
    return response?.data.commit.committer?.date ?? undefined;
  }

  async firstPushed(repository: RepositoryName, sha: string): Promise<string | undefined> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const response = await unlessNotFound(
      githubCall({ repository, permission: "checks: read", action: `GET commits/${sha}/check-suites` }, () =>
        octokit.rest.checks.listSuitesForRef({ owner, repo, ref: sha, per_page: 100 }),
      ),
    );
    return (response?.data.check_suites ?? [])
      .map((suite) => suite.created_at)
      .filter((at): at is string => !!at)
      .sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  }

  async permissionOf(repository: RepositoryName, login: string): Promise<Permission> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const response = await unlessNotFound(
      githubCall({ repository, permission: "metadata: read", action: `GET collaborators/${login}/permission` }, () =>
        octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: login }),
      ),
    );
    // role_name knows "maintain"; the legacy `permission` field folds it into "write"
    const data = response?.data as { permission?: string; role_name?: string } | undefined;
    const named = [data?.role_name, data?.permission].find((p): p is Permission =>
      PERMISSIONS.includes(p as Permission),
    );
    return named ?? "none";
  }

  async isTeamMember(org: string, teamSlug: string, login: string, repository: RepositoryName): Promise<boolean> {
    const octokit = await this.octokitFor(repository);
    const response = await unlessNotFound(
      githubCall(
        { repository, permission: "members: read", action: `GET orgs/${org}/teams/${teamSlug}/memberships/${login}` },
        () => octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: teamSlug, username: login }),
      ),
    );
    return response?.data.state === "active";
  }

  async addReaction(
    repository: RepositoryName,
    commentId: number,
    content: ReactionContent,
  ): Promise<{ id: number; created: boolean }> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const response = await githubCall(
      { repository, permission: "issues: write", action: `POST issues/comments/${commentId}/reactions` },
      () => octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: commentId, content }),
    );
    // 201 = created now; 200 = this app had already reacted with that content
    return { id: response.data.id, created: response.status === 201 };
  }

  async removeReaction(repository: RepositoryName, commentId: number, reactionId: number): Promise<void> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    await unlessNotFound(
      githubCall(
        { repository, permission: "issues: write", action: `DELETE issues/comments/${commentId}/reactions` },
        () =>
          octokit.rest.reactions.deleteForIssueComment({ owner, repo, comment_id: commentId, reaction_id: reactionId }),
      ),
    );
  }

  async createComment(repository: RepositoryName, issueNumber: number, body: string): Promise<IssueComment> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const { data } = await githubCall(
      { repository, permission: "issues: write", action: `POST issues/${issueNumber}/comments` },
      () => octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body }),
    );
    return toComment(data);
  }

  async updateComment(repository: RepositoryName, commentId: number, body: string): Promise<void> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    await githubCall({ repository, permission: "issues: write", action: `PATCH issues/comments/${commentId}` }, () =>
      octokit.rest.issues.updateComment({ owner, repo, comment_id: commentId, body }),
    );
  }

  async deleteComment(repository: RepositoryName, commentId: number): Promise<void> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    await unlessNotFound(
      githubCall({ repository, permission: "issues: write", action: `DELETE issues/comments/${commentId}` }, () =>
        octokit.rest.issues.deleteComment({ owner, repo, comment_id: commentId }),
      ),
    );
  }

  async listComments(repository: RepositoryName, issueNumber: number): Promise<IssueComment[]> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    const comments = await githubCall(
      { repository, permission: "issues: read", action: `GET issues/${issueNumber}/comments` },
      () =>
        octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 }),
    );
    return comments.map(toComment);
  }

  async claimDelivery(repository: RepositoryName, sha: string, deliveryId: string): Promise<boolean> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    try {
      await octokit.rest.git.createRef({ owner, repo, ref: `refs/${deliveryRef(deliveryId)}`, sha });
      return true;
    } catch (error) {
      // 422 "Reference already exists": someone claimed this delivery first
      if ((error as { status?: number }).status === 422) return false;
      throw error;
    }
  }

  async releaseDelivery(repository: RepositoryName, deliveryId: string): Promise<void> {
    const { owner, repo } = splitRepository(repository);
    const octokit = await this.octokitFor(repository);
    await octokit.rest.git.deleteRef({ owner, repo, ref: deliveryRef(deliveryId) });
  }
}

/** The hidden ref that claims a delivery (outside heads/ and tags/, so no branch list shows it). */
export const deliveryRef = (deliveryId: string) => `gimlet/deliveries/${deliveryId.replace(/[^A-Za-z0-9._-]/g, "-")}`;
