// The conversation slice of the GitHub stand-in: pull requests, commenters' permissions and teams, issue comments
// and reactions, commit dates (for the stale-head rule). FakeGitHub routes to it and exposes its state.
import { notFound, type Reply } from "./githubStandInReply.js";

export class ConversationStandIn {
  /** `owner/repo#N` → the pull request GitHub answers (`GET pulls/N`). */
  readonly pulls = new Map<string, Record<string, any>>();
  /** commit sha → committer date (`GET commits/:sha`). */
  readonly commitDates = new Map<string, string>();
  /**
   * commit sha → when it was pushed: GitHub then creates a check suite for it, one per app with checks permission
   * (`GET commits/:sha/check-suites`, each suite's created_at). A sha never pushed here has no suite.
   */
  readonly pushedAt = new Map<string, string>();
  /** `owner/repo:login` → permission (`GET collaborators/:login/permission`); default "none". */
  readonly permissions = new Map<string, string>();
  /** `org/team` → active member logins. */
  readonly teams = new Map<string, string[]>();
  /** Reactions the app made (one per comment and content, as GitHub keeps them). */
  readonly reactions: Array<{ id: number; repository: string; commentId: number; content: string }> = [];
  /** `owner/repo#N` → comments, oldest first. */
  readonly comments = new Map<string, Array<{ id: number; body: string; user: { login: string } }>>();

  /** `nextId`: the stand-in's id sequence, shared with deployments and check runs. */
  constructor(private readonly nextId: () => number) {}

  /** A pull request of `repository` as `GET pulls/N` answers (open, same-repository head unless overridden). */
  pull(repository: string, number: number, headSha: string, overrides: Record<string, any> = {}): Record<string, any> {
    const pr = {
      number,
      state: "open",
      merged: false,
      html_url: `https://github.com/${repository}/pull/${number}`,
      head: { sha: headSha, ref: `feature/${number}`, repo: { full_name: repository } },
      base: { ref: "main", repo: { full_name: repository } },
      ...overrides,
    };
    this.pulls.set(`${repository}#${number}`, pr);
    return pr;
  }

  /** Comments on an issue or PR (the app's replies included). */
  commentsOf(repository: string, number: number): Array<{ id: number; body: string }> {
    return this.comments.get(`${repository}#${number}`) ?? [];
  }

  reactionsOf(commentId: number): string[] {
    return this.reactions.filter((r) => r.commentId === commentId).map((r) => r.content);
  }

  route(method: string, path: string, query: Record<string, string>, body: any): Reply | undefined {
    let m: any = [];
    const at = (re: RegExp) => {
      m = re.exec(path) ?? [];
      return m.length > 0;
    };
    if (method === "GET" && at(/^\/repos\/([^/]+\/[^/]+)\/pulls\/(\d+)$/)) {
      const pr = this.pulls.get(`${m[1]}#${m[2]}`);
      return pr ? [200, pr] : notFound;
    }
    if (method === "GET" && at(/^\/repos\/([^/]+\/[^/]+)\/pulls$/)) {
      const [owner, branch] = String(query.head ?? "").split(/:(.*)/s);
      const found = [...this.pulls]
        .filter(([key, pr]) => key.startsWith(`${m[1]}#`) && pr.head.ref === branch && owner === m[1].split("/")[0])
        .map(([, pr]) => pr)
        .reverse();
      return [200, found];
    }
    if (method === "GET" && at(/^\/repos\/([^/]+\/[^/]+)\/commits\/([0-9a-f]{40})$/)) {
      const date = this.commitDates.get(m[2]) ?? "2020-01-01T00:00:00Z";
      return [200, { sha: m[2], commit: { committer: { name: "Octo Cat", date }, author: { date } } }];
    }
    if (method === "GET" && at(/^\/repos\/([^/]+\/[^/]+)\/commits\/([0-9a-f]{40})\/check-suites$/)) {
      const pushed = this.pushedAt.get(m[2]);
      // GitHub Actions' suite and the app's own, both made by the push
      const suites = pushed
        ? [15368, 1].map((appId, i) => ({ id: i + 1, head_sha: m[2], app: { id: appId }, created_at: pushed }))
        : [];
      return [200, { total_count: suites.length, check_suites: suites }];
    }
    if (method === "GET" && at(/^\/repos\/([^/]+\/[^/]+)\/collaborators\/([^/]+)\/permission$/)) {
      const permission = this.permissions.get(`${m[1]}:${m[2]}`);
      if (!permission) return [404, { message: `${m[2]} is not a user` }];
      return [
        200,
        { permission: permission === "maintain" ? "write" : permission, role_name: permission, user: { login: m[2] } },
      ];
    }
    if (method === "GET" && at(/^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/)) {
      const members = this.teams.get(`${m[1]}/${m[2]}`) ?? [];
      return members.includes(m[3]) ? [200, { state: "active", role: "member" }] : notFound;
    }
    if (at(/^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)\/reactions(?:\/(\d+))?$/)) {
      const [, repository, commentId] = m;
      if (method === "DELETE") {
        const at = this.reactions.findIndex((r) => r.id === Number(m![3]));
        if (at >= 0) this.reactions.splice(at, 1);
        return [204, {}];
      }
      if (method === "POST") {
        const existing = this.reactions.find(
          (r) => r.repository === repository && r.commentId === Number(commentId) && r.content === body.content,
        );
        // GitHub: 200 when this user already reacted with that content, 201 when created
        if (existing) return [200, { id: existing.id, content: existing.content }];
        const reaction = { id: this.nextId(), repository, commentId: Number(commentId), content: body.content };
        this.reactions.push(reaction);
        return [201, { id: reaction.id, content: reaction.content }];
      }
    }
    if (at(/^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/)) {
      const key = `${m[1]}#${m[2]}`;
      const list = this.comments.get(key) ?? [];
      this.comments.set(key, list);
      if (method === "GET")
        return [
          200,
          list.map((c) => ({ ...c, html_url: `https://github.com/${m![1]}/pull/${m![2]}#issuecomment-${c.id}` })),
        ];
      if (method === "POST") {
        const comment = { id: this.nextId(), body: body.body, user: { login: "gimlet[bot]" } };
        list.push(comment);
        return [201, { ...comment, html_url: `https://github.com/${m[1]}/pull/${m[2]}#issuecomment-${comment.id}` }];
      }
    }
    if (method === "DELETE" && at(/^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/)) {
      for (const list of this.comments.values()) {
        const index = list.findIndex((c) => c.id === Number(m[2]));
        if (index >= 0) list.splice(index, 1);
      }
      return [204, {}];
    }
    if (method === "PATCH" && at(/^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/)) {
      for (const list of this.comments.values()) {
        const comment = list.find((c) => c.id === Number(m![2]));
        if (comment) {
          comment.body = body.body;
          return [200, { ...comment, html_url: "https://github.com/x" }];
        }
      }
      return notFound;
    }
    return undefined;
  }
}
