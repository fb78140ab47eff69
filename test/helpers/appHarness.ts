import { createHash, createHmac, generateKeyPairSync } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll } from "@jest/globals";
import Bottleneck from "bottleneck";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { type ApiTokenRecord, ApiTokenStore, OidcVerifier } from "../../app/auth/index.js";
import { buildServices } from "../../app/buildServices.js";
import {
  GitHubConversation,
  GitHubForge,
  GitHubGitopsRemote,
  installationOctokitFactory,
} from "../../app/github/index.js";
import { gimletApp } from "../../app/index.js";
import { defaultLimits, type Limits } from "../../app/limits.js";
import { LocalGitopsRemote } from "../../app/local/remote.js";
import { Metrics } from "../../app/metrics.js";
import type { AppServices } from "../../app/services.js";
import { loadManifests, type Manifest } from "../../shared/manifest/index.js";
import { exampleApp } from "./ciEnv.js";
import { git, tempDir } from "./gitRepos.js";
import { githubClaims, signToken, type TestKey, TestOidcServer } from "./oidc.js";

export const WEBHOOK_SECRET = "webhook-secret";
export const FLUX_SECRET = "flux-secret";
export const AUDIENCE = "gimlet";
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

export {
  API,
  callKind,
  FakeGitHub,
  type FakeGitHubOptions,
  type GitHubCall,
  INSTALLATION_ID,
  INSTALLATION_TOKEN,
  safeJson,
  TEST_WRITE_SPACING_MS,
  useFakeGitHub,
} from "./fakeGitHub.js";

import { safeJson, standIn, TEST_WRITE_SPACING_MS } from "./fakeGitHub.js";

export { buttonPress, webhookExample } from "./webhookExamples.js";

/**
 * Probot's throttle as the app runs it (on), with @octokit/plugin-throttling's own limiters (one write at a time
 * per installation, `minTime` apart; notifications and search slower) scaled by `scale` so tests stay fast. Like the
 * plugin's module-level groups, one set serves every app instance of a process; with REDIS_URL they would be
 * shared across processes too.
 */
export function throttleLimiters(writeSpacingMs: number) {
  const scale = writeSpacingMs / 1000;
  const write = new Bottleneck.Group({ id: "octokit-write", maxConcurrent: 1, minTime: writeSpacingMs });
  // every write the limiter lets through is reported to the stand-in, which refuses writes that bypassed it
  write.on("created", (limiter: Bottleneck) => {
    limiter.on("executing", () => {
      if (standIn.current) standIn.current.throttledWrites++;
    });
  });
  return {
    write,
    notifications: new Bottleneck.Group({ id: "octokit-notifications", maxConcurrent: 1, minTime: 3000 * scale }),
    search: new Bottleneck.Group({ id: "octokit-search", maxConcurrent: 1, minTime: 2000 * scale }),
  };
}
const processLimiters = throttleLimiters(TEST_WRITE_SPACING_MS);

// ───────────────────────────── the app on loopback ─────────────────────────────

export interface HarnessOptions {
  oidc: TestOidcServer;
  /** The LocalGitopsRemote root; share it between harnesses so they write the same bare repos. */
  root?: string;
  tokens?: ApiTokenRecord[];
  /** FLUX_WEBHOOK_SECRETS: per gitops repository (lowercase) → secret. */
  fluxSecrets?: ReadonlyMap<string, string>;
  requireOrgConfig?: boolean;
  /** GIMLET_REQUIRE_AGENT_HEALTH: a release succeeds when the cluster agent saw its rollout healthy. */
  requireAgentHealth?: boolean;
  /** Reach gitops repos as on GitHub (installation token over HTTP at this git host) instead of local bare repos. */
  gitBaseUrl?: string;
  /** The app's logger (default silent). */
  log?: import("pino").Logger;
  /** Bounds on one caller's work (default: app/limits.ts defaults). */
  limits?: Partial<Limits>;
  /** Throttle limiters (default: this process' set, TEST_WRITE_SPACING_MS apart, as one process shares them). */
  limiters?: ReturnType<typeof throttleLimiters>;
  /** false: throttling off, as tests ran before (only to show that the stand-in refuses it). */
  throttled?: boolean;
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
  const app = gimletApp((probot) => {
    const octokitFor = installationOctokitFactory(probot);
    services = buildServices({
      forge: new GitHubForge(octokitFor),
      conversation: new GitHubConversation(octokitFor),
      remote: options.gitBaseUrl ? new GitHubGitopsRemote(octokitFor, { gitBaseUrl: options.gitBaseUrl }) : remote,
      auth: {
        oidc: new OidcVerifier({ issuers: [{ kind: "github", issuer: options.oidc.issuer() }], audience: AUDIENCE }),
        tokens: new ApiTokenStore(options.tokens ?? []),
      },
      log: options.log ?? silent,
      fluxSecret: FLUX_SECRET,
      fluxSecrets: options.fluxSecrets,
      requireOrgConfig: options.requireOrgConfig,
      requireAgentHealth: options.requireAgentHealth,
      workDir: join(own, "work"),
      metrics: new Metrics(),
      limits: { ...defaultLimits, ...options.limits },
      webhookSecret: WEBHOOK_SECRET,
    });
    return services;
  });
  for (let attempt = 1; ; attempt++) {
    // Server treats port 0 as 3000, so pick a random high port (and retry the rare collision).
    const port = 20000 + Math.floor(Math.random() * 40000);
    const server = new Server({
      Probot: Probot.defaults({
        appId: 123,
        privateKey,
        secret: WEBHOOK_SECRET,
        // Throttling stays on as in production, its limiters scaled (the callback form keeps Probot's handlers, STACK T4);
        // the fake GitHub fails a test that writes faster than they allow.
        Octokit: ProbotOctokit.defaults((opts: Record<string, any>) => ({
          ...opts,
          retry: { enabled: false },
          throttle:
            options.throttled === false
              ? { ...opts.throttle, enabled: false }
              : { ...opts.throttle, enabled: true, ...(options.limiters ?? processLimiters) },
        })),
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
        // Bounded: a test that failed while holding a GitHub answer must not hang the whole suite.
        await Promise.race([waitIdle(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
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
export function useApps(): {
  oidc: () => TestOidcServer;
  start(options?: Omit<HarnessOptions, "oidc">): Promise<AppHarness>;
} {
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
    headers: {
      "content-type": "application/json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, text, body: safeJson(text) };
}

export const signWebhook = (body: string, secret = WEBHOOK_SECRET) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** A webhook delivery as GitHub sends it (signed with the app's secret unless `signature` is given). */
export async function deliver(
  harness: { url: string },
  event: string,
  payload: unknown,
  options: { id?: string; signature?: string } = {},
): Promise<ApiResponse> {
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

/** A GitHub Actions OIDC token from the loopback issuer (aud "gimlet", 5 minutes) for `repository`. */
export function actionsToken(
  oidc: TestOidcServer,
  repository = "acme/shop",
  overrides: {
    iss?: string;
    aud?: string;
    exp?: number;
    iat?: number;
    nbf?: number;
    key?: TestKey;
    kid?: string;
    ref?: string;
  } = {},
): Promise<string> {
  const { sub, claims } = githubClaims(repository, overrides.ref ? { ref: overrides.ref } : {});
  return signToken({
    iss: overrides.iss ?? oidc.issuer(),
    aud: overrides.aud ?? AUDIENCE,
    sub,
    claims,
    key: overrides.key ?? oidc.key,
    ...overrides,
  });
}

/** A Flux notification-controller event (generic-hmac) and its signature. */
export function fluxEvent(
  gitopsSha: string,
  overrides: Record<string, unknown> = {},
  revision = `main@sha1:${gitopsSha}`,
): { body: string; signature: string } {
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

export async function postFlux(
  harness: { url: string },
  repository: string,
  event: { body: string; signature: string },
): Promise<ApiResponse> {
  return api(harness, "POST", `/api/flux-events?repository=${repository}`, {
    body: event.body,
    headers: { "x-signature": event.signature },
  });
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
  return loadManifests(
    files.map((file) => ({ file, text: exampleManifestFiles[file] ?? exampleManifestFiles[`.gimlet/${file}`] ?? "" })),
  ).map((l) => l.manifest);
}

/** An artifact of a push to main of acme/shop, as a CI plugin ships it. */
export function exampleArtifact(
  options: { sha?: string; files?: string[]; manifests?: Manifest[]; repository?: string; message?: string } = {},
) {
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
