import type {
  Conversation,
  IssueComment,
  Permission,
  PullRequestInfo,
  ReactionContent,
} from "../../shared/commands/index.js";
import type { RepositoryName } from "../../shared/ports.js";
import { splitRepository } from "../github/repository.js";
import type { FileStore } from "./store.js";

interface StoredComment extends IssueComment {
  reactions: Array<{ id: number; content: ReactionContent }>;
}

/**
 * The Conversation port over the local store (local mode): PR comments (the preview comment, command replies) as
 * `github/<owner>/<repo>/comments/<number>.json`, pull requests read from `github/<owner>/<repo>/pulls/<number>.json`
 * when someone put one there. Local mode has one user, the operator: every permission is admin.
 */
export class LocalConversation implements Conversation {
  constructor(private readonly store: FileStore) {}

  async getPullRequest(repository: RepositoryName, number: number): Promise<PullRequestInfo | undefined> {
    return this.store.readJson<PullRequestInfo>(`${this.dir(repository)}/pulls/${number}.json`);
  }

  async pullRequestsOfBranch(repository: RepositoryName, branch: string): Promise<number[]> {
    const names = await this.store.list(`${this.dir(repository)}/pulls`);
    const prs = await Promise.all(
      names.map((n) => this.store.readJson<PullRequestInfo>(`${this.dir(repository)}/pulls/${n}`)),
    );
    return prs.filter((pr): pr is PullRequestInfo => pr?.headRef === branch).map((pr) => pr.number);
  }

  async commitDate(): Promise<string | undefined> {
    return undefined;
  }

  async firstPushed(): Promise<string | undefined> {
    return undefined;
  }

  async permissionOf(): Promise<Permission> {
    return "admin";
  }

  async isTeamMember(): Promise<boolean> {
    return false;
  }

  async addReaction(
    repository: RepositoryName,
    commentId: number,
    content: ReactionContent,
  ): Promise<{ id: number; created: boolean }> {
    return this.withComment(repository, commentId, async (comment) => {
      const existing = comment.reactions.find((r) => r.content === content);
      if (existing) return { result: { id: existing.id, created: false } };
      const id = await this.store.nextId("reaction");
      comment.reactions.push({ id, content });
      return { result: { id, created: true }, changed: true };
    }).then((r) => r ?? { id: 0, created: true });
  }

  async removeReaction(repository: RepositoryName, commentId: number, reactionId: number): Promise<void> {
    await this.withComment(repository, commentId, async (comment) => {
      comment.reactions = comment.reactions.filter((r) => r.id !== reactionId);
      return { result: undefined, changed: true };
    });
  }

  async createComment(repository: RepositoryName, issueNumber: number, body: string): Promise<IssueComment> {
    const file = `${this.dir(repository)}/comments/${issueNumber}.json`;
    return this.store.exclusive(file, async () => {
      const comments = (await this.store.readJson<StoredComment[]>(file)) ?? [];
      const id = await this.store.nextId("comment");
      const comment: StoredComment = {
        id,
        body,
        author: "gimlet[local]",
        url: `local:${repository}#${issueNumber}`,
        reactions: [],
      };
      await this.store.writeJson(file, [...comments, comment]);
      return { id, body, author: comment.author, url: comment.url };
    });
  }

  async updateComment(repository: RepositoryName, commentId: number, body: string): Promise<void> {
    await this.withComment(repository, commentId, async (comment) => {
      comment.body = body;
      return { result: undefined, changed: true };
    });
  }

  async deleteComment(repository: RepositoryName, commentId: number): Promise<void> {
    const dir = `${this.dir(repository)}/comments`;
    for (const name of await this.store.list(dir)) {
      const file = `${dir}/${name}`;
      await this.store.exclusive(file, async () => {
        const comments = (await this.store.readJson<StoredComment[]>(file)) ?? [];
        const kept = comments.filter((c) => c.id !== commentId);
        if (kept.length !== comments.length) await this.store.writeJson(file, kept);
      });
    }
  }

  async listComments(repository: RepositoryName, issueNumber: number): Promise<IssueComment[]> {
    const comments =
      (await this.store.readJson<StoredComment[]>(`${this.dir(repository)}/comments/${issueNumber}.json`)) ?? [];
    return comments.map(({ reactions: _r, ...c }) => c);
  }

  claimDelivery(repository: RepositoryName, _sha: string, deliveryId: string): Promise<boolean> {
    return this.store.createOnce(`${this.dir(repository)}/deliveries/${safeName(deliveryId)}`);
  }

  releaseDelivery(repository: RepositoryName, deliveryId: string): Promise<void> {
    return this.store.remove(`${this.dir(repository)}/deliveries/${safeName(deliveryId)}`);
  }

  /** Every PR comment in the store, for the local page: repository, PR number, comments. */
  async allComments(): Promise<Array<{ repository: string; number: number; comments: IssueComment[] }>> {
    const files = (await this.store.walk("github")).filter((f) => /^[^/]+\/[^/]+\/comments\/\d+\.json$/.test(f));
    return Promise.all(
      files.map(async (file) => {
        const [owner, repo, , name] = file.split("/");
        const repository = `${owner}/${repo}`;
        const number = Number(name?.replace(/\.json$/, ""));
        return { repository, number, comments: await this.listComments(repository, number) };
      }),
    );
  }

  private dir(repository: RepositoryName): string {
    const { owner, repo } = splitRepository(repository);
    return `github/${owner}/${repo}`;
  }

  /** Find a comment by id in the repository's comment files and change it under the file's lock. */
  private async withComment<T>(
    repository: RepositoryName,
    commentId: number,
    change: (comment: StoredComment) => Promise<{ result: T; changed?: boolean }>,
  ): Promise<T | undefined> {
    const dir = `${this.dir(repository)}/comments`;
    for (const name of await this.store.list(dir)) {
      const file = `${dir}/${name}`;
      const done = await this.store.exclusive(file, async () => {
        const comments = (await this.store.readJson<StoredComment[]>(file)) ?? [];
        const comment = comments.find((c) => c.id === commentId);
        if (!comment) return undefined;
        const { result, changed } = await change(comment);
        if (changed) await this.store.writeJson(file, comments);
        return { result };
      });
      if (done) return done.result;
    }
    return undefined;
  }
}

const safeName = (deliveryId: string) => deliveryId.replace(/[^A-Za-z0-9._-]/g, "-");
