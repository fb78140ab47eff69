// The deployments slice of the GitHub stand-in: deployments and their statuses, as GitHub creates, lists and answers
// them. FakeGitHub routes to it and exposes its state.
import { API, notFound, type Reply } from "./githubStandInReply.js";

export interface FakeDeployment {
  id: number;
  repository: string;
  ref: string;
  sha: string;
  environment: string;
  payload: unknown;
  created_at: string;
  body: any;
}

export class DeploymentsStandIn {
  readonly deployments = new Map<number, FakeDeployment>();
  /** deployment id → statuses as GitHub keeps them (the POST bodies with ids), oldest first. */
  readonly statuses = new Map<number, Array<Record<string, any>>>();

  /** `nextId`: the stand-in's id sequence, shared with check runs and comments. */
  constructor(private readonly nextId: () => number) {}

  route(method: string, path: string, query: Record<string, string>, body: any): Reply | undefined {
    const on = (verb: string | undefined, re: RegExp): string[] | undefined => {
      const m = verb === undefined || verb === method ? re.exec(path) : null;
      return m ? m.slice(1).map((g) => g ?? "") : undefined;
    };
    const routes: Array<[string | undefined, RegExp, (m: string[]) => Reply | undefined]> = [
      [
        "POST",
        /^\/repos\/([^/]+\/[^/]+)\/deployments$/,
        (m) => {
          const [repo = ""] = m;
          const deployment = {
            id: this.nextId(),
            repository: repo,
            ref: body.ref,
            sha: body.ref,
            environment: body.environment,
            payload: body.payload,
            created_at: new Date().toISOString(),
            body,
          };
          this.deployments.set(deployment.id, deployment);
          this.statuses.set(deployment.id, []);
          const { body: _body, repository: _repo, ...data } = deployment;
          return [201, { ...data, url: `${API}/repos/${repo}/deployments/${deployment.id}` }];
        },
      ],
      [
        "GET",
        /^\/repos\/([^/]+\/[^/]+)\/deployments$/,
        (m) => {
          // GitHub's list: newest first, filtered by sha, ref, task and environment, 30 a page by default
          const [repository = ""] = m;
          const perPage = Math.min(100, Number(query.per_page ?? 30));
          const page = Math.max(1, Number(query.page ?? 1));
          const found = [...this.deployments.values()]
            .filter(
              (d) =>
                d.repository.toLowerCase() === repository.toLowerCase() &&
                (query.sha === undefined || d.sha === query.sha) &&
                (query.ref === undefined || d.ref === query.ref) &&
                (query.environment === undefined || d.environment === query.environment),
            )
            .sort((a, b) => b.id - a.id)
            .slice((page - 1) * perPage, page * perPage)
            .map(({ body: _body, repository: _repo, ...data }) => ({
              ...data,
              url: `${API}/repos/${repository}/deployments/${data.id}`,
            }));
          return [200, found];
        },
      ],
      [
        undefined,
        /^\/repos\/([^/]+\/[^/]+)\/deployments\/(\d+)(\/statuses)?$/,
        (m) => {
          const [repo, id, statusesPath] = m;
          const deployment = this.deployments.get(Number(id));
          if (!deployment || deployment.repository !== repo) return notFound;
          const { body: _body, repository: _repo, ...data } = deployment;
          if (!statusesPath && method === "GET") return [200, data];
          const statuses = this.statuses.get(deployment.id) ?? [];
          if (method === "POST") {
            const status = { id: this.nextId(), ...body, created_at: new Date().toISOString() };
            statuses.push(status);
            return [201, status];
          }
          if (method === "GET") return [200, [...statuses].reverse()];
        },
      ],
    ];
    for (const [verb, re, reply] of routes) {
      const m = on(verb, re);
      const answer = m && reply(m);
      if (answer) return answer;
    }
    return undefined;
  }
}
