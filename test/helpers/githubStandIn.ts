// The GitHub stand-in without jest (the bench uses it too); tests use it through fakeGitHub.ts.

import { createHash } from "node:crypto";
import nock from "nock";
import { ContentsStandIn } from "./githubStandInContents.js";
import { ConversationStandIn } from "./githubStandInConversation.js";
import { DeploymentsStandIn } from "./githubStandInDeployments.js";
import { API, notFound, type Reply } from "./githubStandInReply.js";

export { API };
export const INSTALLATION_ID = 4242;
export const INSTALLATION_TOKEN = "ghs_installation_token";

export interface GitHubCall {
  method: string;
  /** Decoded path without the query: `/repos/acme/shop/contents/.github/gimlet.yml`. */
  path: string;
  query: Record<string, string>;
  /** The JSON body GitHub received (undefined for GET). */
  body: any;
  auth?: string;
  status: number;
  /** How GitHub's limits count it: a write (content creation, secondary limits), a read, or the app's own auth. */
  kind: "read" | "write" | "auth";
  /** ms since the fake was created, when the request arrived. */
  at: number;
}

/** How a call counts against GitHub's limits (the same rule as @octokit/plugin-throttling's write limiter). */
export function callKind(method: string, path: string): GitHubCall["kind"] {
  if (method === "POST" && /^\/app\/installations\/[^/]+\/access_tokens$/.test(path)) return "auth";
  if (/^\/repos\/[^/]+\/[^/]+\/installation$/.test(path)) return "auth";
  return method === "GET" || method === "HEAD" ? "read" : "write";
}

export interface FakeGitHubOptions {
  /** Per-call latency in ms, drawn uniformly from [min, max] (e.g. 100–300 in the bench, 0–5 in tests). */
  latencyMs?: { min: number; max: number };
  /**
   * The least time between two writes of one installation that Probot's throttle allows (its write limiter's
   * `minTime`). A write arriving sooner is answered like GitHub's secondary rate limit (403) and recorded in
   * `violations`, which `useFakeGitHub` turns into a failed test. 0 disables the check.
   */
  writeSpacingMs?: number;
}

const _blobSha = (text: string) =>
  createHash("sha1")
    .update(`blob ${Buffer.byteLength(text)}\0${text}`)
    .digest("hex");

/**
 * The slice of the GitHub REST API the app uses, as nock interceptors over an in-memory state: installations and
 * tokens, contents (read, list, PUT), git trees, check runs, deployments and their statuses. Every request is
 * recorded (method, decoded path, query, body, authorization) so tests assert exactly what GitHub received.
 */
export class FakeGitHub {
  calls: GitHubCall[] = [];
  unmatched: string[] = [];
  readonly checkRuns: Array<Record<string, any>> = [];
  /** Refs created through the API (`owner/repo:refs/...` → sha), as `POST git/refs` keeps them. */
  readonly refs = new Map<string, string>();
  /** Default branches by repository ("main" when not set). */
  readonly defaultBranches = new Map<string, string>();
  private nextId = 1000;
  /** Pull requests, permissions, teams, comments, reactions, commit dates (githubStandInConversation.ts). */
  private readonly conversation = new ConversationStandIn(() => this.nextId++);
  /** Deployments and their statuses (githubStandInDeployments.ts). */
  private readonly deploymentsPart = new DeploymentsStandIn(() => this.nextId++);
  readonly deployments = this.deploymentsPart.deployments;
  /** deployment id → statuses as GitHub keeps them (the POST bodies with ids), oldest first. */
  readonly statuses = this.deploymentsPart.statuses;
  readonly pulls = this.conversation.pulls;
  readonly commitDates = this.conversation.commitDates;
  readonly pushedAt = this.conversation.pushedAt;
  readonly permissions = this.conversation.permissions;
  readonly teams = this.conversation.teams;
  readonly reactions = this.conversation.reactions;
  readonly comments = this.conversation.comments;
  private readonly holds: Array<{ match: (call: GitHubCall) => boolean; gate: Promise<void> }> = [];
  private readonly failures: Array<{ match: (call: GitHubCall) => boolean; reply: Reply }> = [];
  /** Writes that came faster than the throttle allows: `METHOD /path` after `gap` ms. */
  readonly violations: string[] = [];
  private readonly lastWrite = new Map<string, number>();
  /**
   * Writes Probot's write limiter has let through and that have not arrived yet. A harness that can see the limiter
   * (the tests' scaled one) counts each release here; a write that arrives with a release to its name went through
   * the throttle, however late the event loop delivered it. Without releases (the bench, or throttling off) the
   * arrival spacing decides.
   */
  throttledWrites = 0;
  /** Whether a limiter reports its releases here (then a write without one bypassed the throttle). */
  limiterVisible = false;
  private readonly started = performance.now();
  readonly options: Required<FakeGitHubOptions>;

  constructor(options: FakeGitHubOptions = {}) {
    this.options = { latencyMs: options.latencyMs ?? { min: 0, max: 0 }, writeSpacingMs: options.writeSpacingMs ?? 0 };
  }

  /** Calls of one kind (writes, reads) since call number `from`. */
  count(kind: GitHubCall["kind"], from = 0): number {
    return this.calls.slice(from).filter((c) => c.kind === kind).length;
  }

  /** Repository contents: files per ref, branch histories (githubStandInContents.ts). */
  private readonly contents = new ContentsStandIn((repo) => this.defaultBranches.get(repo) ?? "main");

  /** Serve `files` of `repo` at `ref` (default: any ref). */
  serve(repo: string, files: Record<string, string>, ref = "*"): void {
    this.contents.serve(repo, files, ref);
  }

  fileAt(repo: string, ref: string, path: string): string | undefined {
    return this.contents.fileAt(repo, ref, path);
  }

  /** Write `files` to `branch` as one commit with `message` (served and in the branch's history); its sha. */
  commitFile(repo: string, branch: string, files: Record<string, string>, message: string): string {
    return this.contents.commitFile(repo, branch, files, message);
  }

  /** Files of a branch (as PUT by the app), path → text. */
  branchFiles(repo: string, branch: string): Record<string, string> {
    return this.contents.branchFiles(repo, branch);
  }

  /** Hold the answer to the first request matching `match` until the returned function is called. */
  hold(match: (call: GitHubCall) => boolean): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.holds.push({ match, gate });
    return release;
  }

  /** Answer the first request matching `match` with `status` (e.g. a GitHub outage) instead of routing it. */
  failOnce(match: (call: GitHubCall) => boolean, status = 502, message = "Server Error"): void {
    this.failures.push({ match, reply: [status, { message }] });
  }

  /** Calls of `method` to paths matching `path`. */
  find(method: string, path: RegExp | string): GitHubCall[] {
    return this.calls.filter(
      (c) => c.method === method && (typeof path === "string" ? c.path === path : path.test(c.path)),
    );
  }

  /** `METHOD /path` of every call, for order and count assertions. */
  lines(from = 0): string[] {
    return this.calls.slice(from).map((c) => `${c.method} ${c.path}`);
  }

  statesOf(deploymentId: number): string[] {
    return (this.statuses.get(deploymentId) ?? []).map((s) => s.state);
  }

  install(): void {
    const scope = nock(API).persist();
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      const self = this;
      scope
        .intercept(() => true, method)
        .reply(function (uri, body, callback) {
          const url = new URL(uri, API);
          const call: GitHubCall = {
            method,
            path: decodeURIComponent(url.pathname),
            query: Object.fromEntries(url.searchParams),
            body: typeof body === "string" && body !== "" ? safeJson(body) : body === "" ? undefined : body,
            auth: [this.req.headers.authorization].flat()[0],
            status: 0,
            kind: callKind(method, decodeURIComponent(url.pathname)),
            at: performance.now() - self.started,
          };
          self.calls.push(call);
          const tooFast = self.checkSpacing(call);
          const held = self.holds.findIndex((h) => h.match(call));
          const gate = held >= 0 ? self.holds.splice(held, 1)[0]?.gate : Promise.resolve();
          const { min, max } = self.options.latencyMs;
          const latency = max > 0 ? min + Math.random() * (max - min) : 0;
          void Promise.all([gate, latency > 0 ? new Promise((r) => setTimeout(r, latency)) : undefined]).then(() => {
            const failed = self.failures.findIndex((f) => f.match(call));
            const reply =
              tooFast ?? (failed >= 0 ? (self.failures.splice(failed, 1)[0]?.reply ?? notFound) : self.route(call));
            call.status = reply[0];
            callback(null, reply);
          });
        });
    }
  }

  /**
   * Probot's throttle lets one write a second through per installation (writeSpacingMs here); GitHub answers a
   * client that ignores it with a secondary rate limit. Writes are keyed by the token that made them (one per
   * installation). When the limiter is visible (tests), every write must have been let through by it: arrival times
   * alone would flag the jitter of a busy machine (a stall after one release, none after the next). Otherwise (the
   * bench, at the real one-second spacing) a write within a tenth of the spacing after the previous one is refused.
   * Throttling off sends a deploy's writes back to back, which both catch.
   */
  private checkSpacing(call: GitHubCall): Reply | undefined {
    const spacing = this.options.writeSpacingMs;
    if (call.kind !== "write" || spacing <= 0) return undefined;
    const key = call.auth ?? "anonymous";
    const last = this.lastWrite.get(key);
    this.lastWrite.set(key, call.at);
    if (this.throttledWrites > 0) {
      this.throttledWrites--;
      return undefined;
    }
    if (!this.limiterVisible && (last === undefined || call.at - last >= spacing / 10)) return undefined;
    this.violations.push(
      this.limiterVisible
        ? `${call.method} ${call.path}: not let through by Probot's write limiter (throttling off?)`
        : `${call.method} ${call.path}: ${(call.at - (last ?? 0)).toFixed(1)} ms after the previous write (the throttle allows one per ${spacing} ms)`,
    );
    return [
      403,
      {
        message:
          "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
        documentation_url:
          "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
      },
    ];
  }

  /** Answer one request as GitHub would, recorded like the nock'd ones (for a real loopback stand-in: a GHES host). */
  answer(method: string, pathAndQuery: string, body: unknown, auth?: string): Reply {
    const url = new URL(pathAndQuery, API);
    const call: GitHubCall = {
      method,
      path: decodeURIComponent(url.pathname),
      query: Object.fromEntries(url.searchParams),
      body,
      auth,
      status: 0,
      kind: callKind(method, decodeURIComponent(url.pathname)),
      at: performance.now() - this.started,
    };
    this.calls.push(call);
    const reply = this.route(call);
    call.status = reply[0];
    return reply;
  }

  private route(call: GitHubCall): Reply {
    const { method, path, query, body } = call;
    /** The capture groups of `re` over the path when the method matches ("" for a group that did not take part). */
    const on = (verb: string | undefined, re: RegExp): string[] | undefined => {
      const m = verb === undefined || verb === method ? re.exec(path) : null;
      return m ? m.slice(1).map((g) => g ?? "") : undefined;
    };
    const routes: Array<[string | undefined, RegExp, (m: string[]) => Reply | undefined]> = [
      [
        "GET",
        /^\/repos\/([^/]+\/[^/]+)\/installation$/,
        (m) => {
          const [repo = ""] = m;
          return [200, { id: INSTALLATION_ID, account: { login: repo.split("/")[0] } }];
        },
      ],
      // the App's JWT: its one installation (GitHub answers an array), and that installation's repositories
      ["GET", /^\/app\/installations$/, () => [200, [{ id: INSTALLATION_ID, account: { login: "acme" } }]]],
      [
        "GET",
        /^\/installation\/repositories$/,
        () => {
          const repositories = this.contents.repositories().map((full_name) => ({ full_name }));
          return [200, { total_count: repositories.length, repositories }];
        },
      ],
      [
        "POST",
        /^\/app\/installations\/\d+\/access_tokens$/,
        () => [
          201,
          {
            token: INSTALLATION_TOKEN,
            expires_at: "2099-01-01T00:00:00Z",
            permissions: { checks: "write", contents: "write", deployments: "write" },
          },
        ],
      ],
      [
        "POST",
        /^\/repos\/([^/]+\/[^/]+)\/git\/refs$/,
        (m) => {
          const key = `${m[0]}:${body.ref}`;
          // GitHub: 422 "Reference already exists" for a ref that is there
          if (this.refs.has(key)) return [422, { message: "Reference already exists" }];
          this.refs.set(key, body.sha);
          return [201, { ref: body.ref, object: { sha: body.sha, type: "commit" } }];
        },
      ],
      [
        "DELETE",
        /^\/repos\/([^/]+\/[^/]+)\/git\/refs\/(.+)$/,
        (m) => (this.refs.delete(`${m[0]}:refs/${m[1]}`) ? [204, {}] : [422, { message: "Reference does not exist" }]),
      ],
      [
        "GET",
        /^\/repos\/([^/]+\/[^/]+)$/,
        (m) => {
          const [repo = ""] = m;
          return [200, { full_name: repo, default_branch: this.defaultBranches.get(repo) ?? "main" }];
        },
      ],
      [
        undefined,
        /^\/repos\/([^/]+\/[^/]+)\/contents\/(.+)$/,
        (m) => {
          const [repo = "", file = ""] = m;
          return method === "PUT"
            ? this.contents.putFile(repo, file, body)
            : this.contents.getContents(repo, file, query.ref ?? "*");
        },
      ],
      [
        "GET",
        /^\/repos\/([^/]+\/[^/]+)\/git\/trees\/(.+)$/,
        (m) => {
          const [repo = "", ref = ""] = m;
          return this.contents.tree(repo, ref);
        },
      ],
      [
        "POST",
        /^\/repos\/([^/]+\/[^/]+)\/check-runs$/,
        (m) => {
          const [repo = ""] = m;
          const run = { id: this.nextId++, ...body, html_url: `https://github.com/${repo}/runs/${this.nextId}` };
          this.checkRuns.push(run);
          return [201, run];
        },
      ],
      [
        "PATCH",
        /^\/repos\/([^/]+\/[^/]+)\/check-runs\/(\d+)$/,
        (m) => {
          const id = Number(m[1]);
          const run = this.checkRuns.find((r) => (r as { id: number }).id === id);
          if (!run) return notFound;
          Object.assign(run, body);
          return [200, run];
        },
      ],
    ];
    for (const [verb, re, reply] of routes) {
      const m = on(verb, re);
      const answer = m && reply(m);
      if (answer) return answer;
    }
    const commits = method === "GET" ? /^\/repos\/([^/]+\/[^/]+)\/commits$/.exec(path) : null;
    if (commits?.[1]) return this.contents.listCommits(commits[1], query);
    const deployment = this.deploymentsPart.route(method, path, query, body);
    if (deployment) return deployment;
    const conversation = this.conversation.route(method, path, query, body);
    if (conversation) return conversation;
    this.unmatched.push(`${method} ${path}`);
    return [501, { message: `the fake GitHub has no route for ${method} ${path}` }];
  }

  /** A pull request of `repository` as `GET pulls/N` answers (open, same-repository head unless overridden). */
  pull(repository: string, number: number, headSha: string, overrides: Record<string, any> = {}): Record<string, any> {
    return this.conversation.pull(repository, number, headSha, overrides);
  }

  /** Comments on an issue or PR (the app's replies included). */
  commentsOf(repository: string, number: number): Array<{ id: number; body: string }> {
    return this.conversation.commentsOf(repository, number);
  }

  reactionsOf(commentId: number): string[] {
    return this.conversation.reactionsOf(commentId);
  }
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
