import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pino } from "pino";
import { OidcVerifier } from "../../app/auth/index.js";
import { type LocalServer, startLocalServer } from "../../app/local/server.js";
import { exampleApp } from "./ciEnv.js";
import { git, tempDir } from "./gitRepos.js";
import { CIRCLECI_ORG_ID, circleciClaims, githubClaims, gitlabClaims, signToken, TestOidcServer } from "./oidc.js";

export const AUDIENCE = "gimlet";

/**
 * The app in local mode on loopback (examples/shop's config: staging and production), trusting one loopback OIDC
 * issuer as GitHub Actions (`origin`), GitLab (`origin/gitlab`) and CircleCI (`origin/org/<id>`).
 */
export interface CiApp {
  url: string;
  oidc: TestOidcServer;
  server: LocalServer;
  root: string;
  /** The bare gitops repo of a repository (acme/gitops-staging, acme/gitops-production). */
  bare(repository: string): string;
  /** The commits of a bare gitops repo's main branch, newest first (empty before the first push). */
  commits(repository: string): string[];
  /** Post a signed Flux "applied" event for a gitops commit (or, with `failure`, a failed reconciliation). */
  fluxApplied(repository: string, gitopsSha: string, env?: string, failure?: string): Promise<number>;
  /** Until the app's background work settles (commit first: an artifact is stored once its releases are reported). */
  waitIdle(): Promise<void>;
  close(): Promise<void>;
}

export async function startCiApp(): Promise<CiApp> {
  const oidc = await TestOidcServer.start();
  const root = tempDir("gimlet-ci-app-");
  const configFile = join(root, "gimlet.local.yml");
  writeFileSync(configFile, readFileSync(join(exampleApp, ".github", "gimlet.yml"), "utf8"));
  const server = await startLocalServer({
    root: join(root, ".gimlet-local"),
    configFile,
    port: 0,
    host: "127.0.0.1",
    log: pino({ level: "silent" }),
    oidc: new OidcVerifier({
      audience: AUDIENCE,
      issuers: [
        { kind: "github", issuer: oidc.issuer() },
        { kind: "gitlab", issuer: oidc.issuer("/gitlab"), repositories: ["acme/*"] },
        { kind: "circleci", issuer: oidc.issuer("/org/"), audience: CIRCLECI_ORG_ID, repositories: ["acme/*"] },
      ],
    }),
  });
  return {
    url: server.url,
    oidc,
    server,
    root,
    bare: (repository) => bareOf(server, repository),
    async waitIdle() {
      while (server.services.inflight.size) await Promise.all([...server.services.inflight]);
    },
    commits(repository) {
      try {
        return git(bareOf(server, repository), ["log", "--format=%H %s", "main"]).split("\n").filter(Boolean);
      } catch {
        return [];
      }
    },
    async fluxApplied(repository, gitopsSha, env, failure) {
      const secret = readFileSync(join(root, ".gimlet-local", "flux-secret"), "utf8").trim();
      const revision = `main@sha1:${gitopsSha}`;
      const body = JSON.stringify({
        involvedObject: { kind: "Kustomization", name: "flux-system", namespace: "flux-system" },
        severity: failure ? "error" : "info",
        reason: failure ? "ReconciliationFailed" : "ReconciliationSucceeded",
        message: failure ?? `Applied revision: ${revision}`,
        metadata: { revision },
      });
      const response = await fetch(
        `${server.url}/api/flux-events?repository=${repository}${env ? `&env=${env}` : ""}`,
        {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-signature": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
          },
          body,
        },
      );
      await response.text();
      return response.status;
    },
    async close() {
      await server.close();
      await oidc.close();
    },
  };
}

function bareOf(server: LocalServer, repository: string): string {
  return (server.services.deps.remote as unknown as { barePath(r: string): string }).barePath(repository);
}

/** What a CI job is building, enough to sign the token its CI would give it. */
export interface JobRef {
  repository: string;
  event: "push" | "tag" | "pr";
  branch?: string;
  tag?: string;
  prNumber?: number;
  baseBranch?: string;
}

const refOf = (job: JobRef) =>
  job.event === "tag"
    ? `refs/tags/${job.tag}`
    : job.event === "pr" && job.prNumber
      ? `refs/pull/${job.prNumber}/merge`
      : `refs/heads/${job.branch}`;

/** The token GitHub Actions' token service gives a job: ref, event_name, head_ref/base_ref for PRs. */
export function githubJobToken(app: CiApp, job: JobRef, audience = AUDIENCE): Promise<string> {
  const { sub, claims } = githubClaims(job.repository, {
    ref: refOf(job),
    ref_type: job.event === "tag" ? "tag" : "branch",
    event_name: job.event === "pr" ? "pull_request" : "push",
    ...(job.event === "pr" ? { head_ref: job.branch, base_ref: job.baseBranch } : {}),
  });
  return signToken({ iss: app.oidc.issuer(), aud: audience, sub, claims, key: app.oidc.key });
}

/** A GitLab `id_tokens` token (aud as the job declares it). */
export function gitlabJobToken(app: CiApp, job: JobRef, audience = AUDIENCE): Promise<string> {
  const name = job.event === "tag" ? job.tag : job.branch;
  const { sub, claims } = gitlabClaims(job.repository, {
    ref: name,
    ref_type: job.event === "tag" ? "tag" : "branch",
    ref_path: job.event === "tag" ? `refs/tags/${job.tag}` : `refs/heads/${job.branch}`,
    pipeline_source: job.event === "pr" ? "merge_request_event" : "push",
  });
  return signToken({ iss: app.oidc.issuer("/gitlab"), aud: audience, sub, claims, key: app.oidc.key });
}

/** CircleCI's $CIRCLE_OIDC_TOKEN_V2 of a VCS-triggered pipeline (aud = the organization id). */
export function circleciJobToken(app: CiApp, job: JobRef): Promise<string> {
  const ref = job.event === "tag" ? `refs/tags/${job.tag}` : `refs/heads/${job.branch}`;
  const { sub, claims } = circleciClaims(`github.com/${job.repository}`, { "oidc.circleci.com/vcs-ref": ref });
  return signToken({
    iss: app.oidc.issuer(`/org/${CIRCLECI_ORG_ID}`),
    aud: CIRCLECI_ORG_ID,
    sub,
    claims,
    key: app.oidc.key,
  });
}

/** GitHub Actions' ID token service on loopback: `GET ?audience=` with the request token → `{value}`. */
export interface TokenService {
  url: string;
  requestToken: string;
  /** Audiences asked for, in order. */
  asked: string[];
  close(): Promise<void>;
}

export async function startTokenService(sign: (audience: string) => Promise<string>): Promise<TokenService> {
  const requestToken = `request-token-${Math.random().toString(36).slice(2)}`;
  const asked: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.headers.authorization !== `Bearer ${requestToken}`) {
      res.writeHead(401).end();
      return;
    }
    const audience = url.searchParams.get("audience") ?? "";
    asked.push(audience);
    sign(audience).then(
      (value) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ count: 1, value })),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    // the runner's URL already carries a query (api-version), so the audience is appended with &
    url: `http://127.0.0.1:${port}/_apis/idtoken?api-version=2.0`,
    requestToken,
    asked,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a process (the Action bundle, a CI script) asynchronously, so the test can answer its requests meanwhile. */
export function runProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

export { tempDir };
