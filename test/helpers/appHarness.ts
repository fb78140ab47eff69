import { createHmac, createHash, generateKeyPairSync } from "node:crypto";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "@jest/globals";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { ApiTokenStore, OidcVerifier, type ApiTokenRecord } from "../../app/auth/index.js";
import { buildServices } from "../../app/buildServices.js";
import { GitHubForge, installationOctokitFactory } from "../../app/github/index.js";
import { gimletApp } from "../../app/index.js";
import { LocalGitopsRemote } from "../../app/local/remote.js";
import { Metrics } from "../../app/metrics.js";
import type { AppServices } from "../../app/services.js";
import { loadManifests, type Manifest } from "../../shared/manifest/index.js";
import { exampleApp } from "./ciEnv.js";
import { git, tempDir } from "./gitRepos.js";
import { githubClaims, signToken, TestOidcServer, type TestKey } from "./oidc.js";

export const API = "https://api.github.com";
export const WEBHOOK_SECRET = "webhook-secret";
export const FLUX_SECRET = "flux-secret";
export const AUDIENCE = "gimlet";
export const INSTALLATION_ID = 4242;
export const INSTALLATION_TOKEN = "ghs_installation_token";
/** A push to main of the example app (examples/shop). */
export const SHA = "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d";
export const SHA2 = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

/** One generated GitHub App key per test file: RSA generation is the slowest part of a harness. */
const privateKey = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

// ───────────────────────────── the GitHub API, faked with nock ─────────────────────────────

export interface GitHubCall {
  method: string;
  /** Decoded path without the query: `/repos/acme/shop/contents/.github/gimlet.yml`. */
  path: string;
  query: Record<string, string>;
  /** The JSON body GitHub received (undefined for GET). */
  body: any;
  auth?: string;
  status: number;
}

interface FakeDeployment {
  id: number;
  repository: string;
  ref: string;
  sha: string;
  environment: string;
  payload: unknown;
  created_at: string;
  body: any;
}

type Reply = [number, Record<string, any>];
const notFound: Reply = [404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" }];
const blobSha = (text: string) => createHash("sha1").update(`blob ${Buffer.byteLength(text)}\0${text}`).digest("hex");

/**
 * The slice of the GitHub REST API the app uses, as nock interceptors over an in-memory state: installations and
 * tokens, contents (read, list, PUT), git trees, check runs, deployments and their statuses. Every request is
 * recorded (method, decoded path, query, body, authorization) so tests assert exactly what GitHub received.
 */
export class FakeGitHub {
  calls: GitHubCall[] = [];
  unmatched: string[] = [];
  /** `repo` → ref (`*` = any ref) → path → text. */
  private readonly files = new Map<string, Map<string, Map<string, string>>>();
  readonly deployments = new Map<number, FakeDeployment>();
  /** deployment id → statuses as GitHub keeps them (the POST bodies with ids), oldest first. */
  readonly statuses = new Map<number, Array<Record<string, any>>>();
  readonly checkRuns: Array<Record<string, any>> = [];
  private nextId = 1000;
  private readonly holds: Array<{ match: (call: GitHubCall) => boolean; gate: Promise<void> }> = [];
  private readonly failures: Array<{ match: (call: GitHubCall) => boolean; reply: Reply }> = [];

  /** Serve `files` of `repo` at `ref` (default: any ref). */
  serve(repo: string, files: Record<string, string>, ref = "*"): void {
    const refs = this.files.get(repo) ?? new Map<string, Map<string, string>>();
    this.files.set(repo, refs);
    const at = refs.get(ref) ?? new Map<string, string>();
    refs.set(ref, at);
    for (const [path, text] of Object.entries(files)) at.set(path, text);
  }

  fileAt(repo: string, ref: string, path: string): string | undefined {
    const refs = this.files.get(repo);
    return refs?.get(ref)?.get(path) ?? refs?.get("*")?.get(path);
  }

  /** Files of a branch (as PUT by the app), path → text. */
  branchFiles(repo: string, branch: string): Record<string, string> {
    return Object.fromEntries(this.files.get(repo)?.get(branch) ?? []);
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
    return this.calls.filter((c) => c.method === method && (typeof path === "string" ? c.path === path : path.test(c.path)));
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
          };
          self.calls.push(call);
          const held = self.holds.findIndex((h) => h.match(call));
          const gate = held >= 0 ? self.holds.splice(held, 1)[0].gate : Promise.resolve();
          void gate.then(() => {
            const failed = self.failures.findIndex((f) => f.match(call));
            const reply = failed >= 0 ? self.failures.splice(failed, 1)[0].reply : self.route(call);
            call.status = reply[0];
            callback(null, reply);
          });
        });
    }
  }

  private route(call: GitHubCall): Reply {
    const { method, path, query, body } = call;
    let m: RegExpExecArray | null;
    if (method === "GET" && (m = /^\/repos\/([^/]+\/[^/]+)\/installation$/.exec(path))) return [200, { id: INSTALLATION_ID, account: { login: m[1].split("/")[0] } }];
    if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return [201, { token: INSTALLATION_TOKEN, expires_at: "2099-01-01T00:00:00Z", permissions: { checks: "write", contents: "write", deployments: "write" } }];
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/contents\/(.+)$/.exec(path))) return method === "PUT" ? this.putFile(m[1], m[2], body) : this.getContents(m[1], m[2], query.ref ?? "*");
    if (method === "GET" && (m = /^\/repos\/([^/]+\/[^/]+)\/git\/trees\/(.+)$/.exec(path))) {
      const files = this.files.get(m[1])?.get(m[2]);
      if (!files) return notFound;
      return [200, { sha: "tree", truncated: false, tree: [...files].map(([p, text]) => ({ path: p, type: "blob", mode: "100644", sha: blobSha(text) })) }];
    }
    if (method === "POST" && (m = /^\/repos\/([^/]+\/[^/]+)\/check-runs$/.exec(path))) {
      const run = { id: this.nextId++, ...body, html_url: `https://github.com/${m[1]}/runs/${this.nextId}` };
      this.checkRuns.push(run);
      return [201, run];
    }
    if (method === "PATCH" && (m = /^\/repos\/([^/]+\/[^/]+)\/check-runs\/(\d+)$/.exec(path))) {
      const run = this.checkRuns.find((r) => (r as { id: number }).id === Number(m![2]));
      if (!run) return notFound;
      Object.assign(run, body);
      return [200, run];
    }
    if (method === "POST" && (m = /^\/repos\/([^/]+\/[^/]+)\/deployments$/.exec(path))) {
      const deployment = { id: this.nextId++, repository: m[1], ref: body.ref, sha: body.ref, environment: body.environment, payload: body.payload, created_at: new Date().toISOString(), body };
      this.deployments.set(deployment.id, deployment);
      this.statuses.set(deployment.id, []);
      const { body: _body, repository: _repo, ...data } = deployment;
      return [201, { ...data, url: `${API}/repos/${m[1]}/deployments/${deployment.id}` }];
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/deployments\/(\d+)(\/statuses)?$/.exec(path))) {
      const deployment = this.deployments.get(Number(m[2]));
      if (!deployment || deployment.repository !== m[1]) return notFound;
      const { body: _body, repository: _repo, ...data } = deployment;
      if (!m[3] && method === "GET") return [200, data];
      const statuses = this.statuses.get(deployment.id) ?? [];
      if (method === "POST") {
        const status = { id: this.nextId++, ...body, created_at: new Date().toISOString() };
        statuses.push(status);
        return [201, status];
      }
      if (method === "GET") return [200, [...statuses].reverse()];
    }
    this.unmatched.push(`${method} ${path}`);
    return [501, { message: `the fake GitHub has no route for ${method} ${path}` }];
  }

  private getContents(repo: string, path: string, ref: string): Reply {
    const text = this.fileAt(repo, ref, path);
    if (text !== undefined) return [200, { type: "file", path, name: path.split("/").pop(), sha: blobSha(text), encoding: "base64", content: Buffer.from(text).toString("base64") }];
    const refs = this.files.get(repo);
    const all = new Set([...(refs?.get("*")?.keys() ?? []), ...(ref === "*" ? [] : (refs?.get(ref)?.keys() ?? []))]);
    const entries = new Map<string, string>();
    for (const p of all) {
      if (!p.startsWith(`${path}/`)) continue;
      const rest = p.slice(path.length + 1);
      const name = rest.split("/")[0];
      entries.set(name, rest.includes("/") ? "dir" : "file");
    }
    if (!entries.size) return notFound;
    return [200, [...entries].map(([name, type]) => ({ type, name, path: `${path}/${name}`, sha: "x" }))];
  }

  private putFile(repo: string, path: string, body: { branch: string; content: string; sha?: string }): Reply {
    const existing = this.files.get(repo)?.get(body.branch)?.get(path);
    // GitHub's answers: an existing file written without its sha is 422, with another sha 409
    if (existing !== undefined && body.sha === undefined) return [422, { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' }];
    if (existing !== undefined && body.sha !== blobSha(existing)) return [409, { message: `${path} does not match ${body.sha}` }];
    if (existing === undefined && body.sha !== undefined) return [409, { message: `${path} does not match ${body.sha}` }];
    const text = Buffer.from(body.content, "base64").toString("utf8");
    this.serve(repo, { [path]: text }, body.branch);
    return [existing === undefined ? 201 : 200, { content: { path, sha: blobSha(text) }, commit: { sha: blobSha(`${path}${text}`) } }];
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A fresh fake GitHub per test (nock only at api.github.com; loopback passes). Read it after `beforeEach`. */
export function useFakeGitHub(): { readonly current: FakeGitHub } {
  const holder = { current: new FakeGitHub() };
  beforeEach(() => {
    nock.cleanAll();
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    holder.current = new FakeGitHub();
    holder.current.install();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    expect(holder.current.unmatched).toEqual([]); // the app called a GitHub endpoint the fake does not know
  });
  return holder;
}

// ───────────────────────────── the app on loopback ─────────────────────────────

export interface HarnessOptions {
  oidc: TestOidcServer;
  /** The LocalGitopsRemote root; share it between harnesses so they write the same bare repos. */
  root?: string;
  tokens?: ApiTokenRecord[];
}

export interface AppHarness {
  url: string;
  services: AppServices;
  remote: LocalGitopsRemote;
  /** The gitops remotes' root (bare repos under `<root>/gitops/<owner>/<repo>.git`). */
  root: string;
  /** Bare repo of a gitops repository. */
  bare(repository: string): string;
  /** Wait for every background release (gitops push + its deployment status). */
  waitIdle(): Promise<void>;
  stop(): Promise<void>;
}

const silent = pino({ level: "silent" });

/** A real Probot `Server` on 127.0.0.1 (random port), the app loaded as production wires it, but git is local. */
export async function startApp(options: HarnessOptions): Promise<AppHarness> {
  const own = tempDir("gimlet-app-");
  const root = options.root ?? join(own, "local");
  const remote = new LocalGitopsRemote({ root });
  let services: AppServices | undefined;
  const app = gimletApp((probot) =>
    (services = buildServices({
      forge: new GitHubForge(installationOctokitFactory(probot)),
      remote,
      auth: {
        oidc: new OidcVerifier({ issuers: [{ kind: "github", issuer: options.oidc.issuer() }], audience: AUDIENCE }),
        tokens: new ApiTokenStore(options.tokens ?? []),
      },
      log: silent,
      fluxSecret: FLUX_SECRET,
      workDir: join(own, "work"),
      metrics: new Metrics(),
    })),
  );
  for (let attempt = 1; ; attempt++) {
    // Server treats port 0 as 3000, so pick a random high port (and retry the rare collision).
    const port = 20000 + Math.floor(Math.random() * 40000);
    const server = new Server({
      Probot: Probot.defaults({
        appId: 123,
        privateKey,
        secret: WEBHOOK_SECRET,
        // the callback form really disables throttling (STACK T4)
        Octokit: ProbotOctokit.defaults((opts: Record<string, any>) => ({ ...opts, retry: { enabled: false }, throttle: { ...opts.throttle, enabled: false } })),
      }),
      log: silent,
      host: "127.0.0.1",
      port,
      enableStaticFiles: false,
    });
    let httpServer: import("node:http").Server;
    try {
      await server.load(app);
      httpServer = await server.start();
    } catch (error) {
      if ((error as { code?: string }).code === "EADDRINUSE" && attempt < 5) continue;
      throw error;
    }
    const ready = services as unknown as AppServices;
    const waitIdle = async () => {
      while (ready.inflight.size) await Promise.all([...ready.inflight]);
    };
    return {
      url: `http://127.0.0.1:${port}`,
      services: ready,
      remote,
      root,
      bare: (repository) => remote.barePath(repository),
      waitIdle,
      async stop() {
        await waitIdle();
        const stopped = server.stop();
        httpServer.closeAllConnections(); // a request refused mid-upload (413) would hold close() for seconds
        await stopped;
        await ready.deps.writer.close();
        rmSync(own, { recursive: true, force: true });
      },
    };
  }
}

/** One OIDC issuer (loopback) for a test file, and a cleanup of every harness a test started. */
export function useApps(): { oidc: () => TestOidcServer; start(options?: Omit<HarnessOptions, "oidc">): Promise<AppHarness> } {
  let oidc: TestOidcServer;
  let started: AppHarness[] = [];
  beforeAll(async () => {
    oidc = await TestOidcServer.start();
  });
  afterAll(async () => {
    await oidc.close();
  });
  afterEach(async () => {
    await Promise.all(started.map((h) => h.stop()));
    started = [];
  });
  return {
    oidc: () => oidc,
    async start(options = {}) {
      const harness = await startApp({ ...options, oidc });
      started.push(harness);
      return harness;
    },
  };
}

// ───────────────────────────── requests ─────────────────────────────

export interface ApiResponse {
  status: number;
  body: any;
  text: string;
}

export async function api(
  harness: { url: string },
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const response = await fetch(`${harness.url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, text, body: safeJson(text) };
}

export const signWebhook = (body: string, secret = WEBHOOK_SECRET) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** A webhook delivery as GitHub sends it (signed with the app's secret unless `signature` is given). */
export async function deliver(harness: { url: string }, event: string, payload: unknown, options: { id?: string; signature?: string } = {}): Promise<ApiResponse> {
  const body = JSON.stringify(payload);
  return api(harness, "POST", "/api/github/webhooks", {
    body,
    headers: {
      "x-github-event": event,
      "x-github-delivery": options.id ?? `delivery-${Math.random().toString(16).slice(2)}`,
      "x-hub-signature-256": options.signature ?? signWebhook(body),
    },
  });
}

type WebhookExample = { name: string; examples: Array<Record<string, any>> };
const webhookExamples = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookExample[];

/** A real payload from @octokit/webhooks-examples (deep-copied). */
export function webhookExample(name: string, pick: (payload: Record<string, any>) => boolean): Record<string, any> {
  const found = webhookExamples.find((e) => e.name === name)?.examples.find(pick);
  if (!found) throw new Error(`no ${name} example matches`);
  return structuredClone(found);
}

/** A GitHub Actions OIDC token from the loopback issuer (aud "gimlet", 5 minutes) for `repository`. */
export function actionsToken(
  oidc: TestOidcServer,
  repository = "acme/shop",
  overrides: { iss?: string; aud?: string; exp?: number; iat?: number; nbf?: number; key?: TestKey; kid?: string } = {},
): Promise<string> {
  const { sub, claims } = githubClaims(repository);
  return signToken({ iss: overrides.iss ?? oidc.issuer(), aud: overrides.aud ?? AUDIENCE, sub, claims, key: overrides.key ?? oidc.key, ...overrides });
}

/** A Flux notification-controller event (generic-hmac) and its signature. */
export function fluxEvent(gitopsSha: string, overrides: Record<string, unknown> = {}, revision = `main@sha1:${gitopsSha}`): { body: string; signature: string } {
  const body = JSON.stringify({
    involvedObject: { kind: "Kustomization", name: "flux-system", namespace: "flux-system" },
    severity: "info",
    reason: "ReconciliationSucceeded",
    message: `Applied revision: ${revision}`,
    metadata: { revision },
    ...overrides,
  });
  return { body, signature: `sha256=${createHmac("sha256", FLUX_SECRET).update(body).digest("hex")}` };
}

export async function postFlux(harness: { url: string }, repository: string, event: { body: string; signature: string }): Promise<ApiResponse> {
  return api(harness, "POST", `/api/flux-events?repository=${repository}`, { body: event.body, headers: { "x-signature": event.signature } });
}

// ───────────────────────────── the example app ─────────────────────────────

/** `.gimlet/*.yaml` of examples/shop, sorted by file name: preview, production, staging, worker-staging. */
export const exampleManifestFiles: Record<string, string> = Object.fromEntries(
  readdirSync(join(exampleApp, ".gimlet"))
    .sort()
    .map((f) => [`.gimlet/${f}`, readFileSync(join(exampleApp, ".gimlet", f), "utf8")]),
);
/** examples/shop/.github/gimlet.yml: staging → acme/gitops-staging (path staging), production → acme/gitops-production; artifacts on acme/gitops-staging@gimlet-artifacts. */
export const exampleConfig = readFileSync(join(exampleApp, ".github", "gimlet.yml"), "utf8");

export function exampleManifests(files: string[] = Object.keys(exampleManifestFiles)): Manifest[] {
  return loadManifests(files.map((file) => ({ file, text: exampleManifestFiles[file] ?? exampleManifestFiles[`.gimlet/${file}`] }))).map((l) => l.manifest);
}

/** An artifact of a push to main of acme/shop, as a CI plugin ships it. */
export function exampleArtifact(options: { sha?: string; files?: string[]; manifests?: Manifest[]; repository?: string; message?: string } = {}) {
  return {
    version: {
      repositoryName: options.repository ?? "acme/shop",
      sha: options.sha ?? SHA,
      branch: "main",
      event: "push",
      authorName: "Octo Cat",
      message: options.message ?? "Cache product images",
      url: `https://github.com/${options.repository ?? "acme/shop"}/commit/${options.sha ?? SHA}`,
    },
    context: { CI: "github-actions" },
    environments: options.manifests ?? exampleManifests(options.files),
  };
}

/** A 40-hex commit sha from a number. */
export const shaOf = (n: number) => createHash("sha1").update(String(n)).digest("hex");

/** The tip of a gitops bare repo's branch. */
export const tipOf = (bare: string, branch = "main") => git(bare, ["rev-parse", branch]);
