import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";

/** A signing key with the public JWK an issuer publishes. */
export interface TestKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

let kids = 0;

export async function makeKey(alg: "RS256" | "ES256" = "RS256", kid = `test-key-${++kids}`): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { kid, alg, privateKey, jwk };
}

/**
 * An OIDC issuer on 127.0.0.1:0 serving, for any path prefix P (the issuer is `origin + P`),
 * `P/.well-known/openid-configuration` and `P/.well-known/jwks`. So one server is GitHub (`origin`),
 * GitLab (`origin/gitlab`) and CircleCI (`origin/org/<id>`) at once. Every request path is recorded.
 */
export class TestOidcServer {
  readonly requests: string[] = [];
  keys: TestKey[];
  /** When set, discovery names this issuer instead of the requested one. */
  discoveryIssuer?: string;
  private constructor(
    private readonly server: Server,
    readonly origin: string,
    key: TestKey,
  ) {
    this.keys = [key];
  }

  static async start(key?: TestKey): Promise<TestOidcServer> {
    const signingKey = key ?? (await makeKey());
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const issuer = new TestOidcServer(server, origin, signingKey);
    server.on("request", (req, res) => issuer.handle(req.url ?? "/", res));
    return issuer;
  }

  /** The signing key: the newest one. */
  get key(): TestKey {
    return this.keys.at(-1)!;
  }

  issuer(path = ""): string {
    return this.origin + path;
  }

  /** Publish `key` (or a new ES256 key) and sign with it from now on; `keep` keeps the old keys published. */
  async rotate(options: { key?: TestKey; keep?: boolean } = {}): Promise<TestKey> {
    const next = options.key ?? (await makeKey("ES256"));
    this.keys = options.keep ? [...this.keys, next] : [next];
    return next;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(url: string, res: import("node:http").ServerResponse): void {
    this.requests.push(url);
    const path = new URL(url, this.origin).pathname;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const discovery = "/.well-known/openid-configuration";
    if (path.endsWith(discovery)) {
      const issuer = this.origin + path.slice(0, -discovery.length);
      send(200, {
        issuer: this.discoveryIssuer ?? issuer,
        jwks_uri: `${issuer}/.well-known/jwks`,
        id_token_signing_alg_values_supported: ["RS256"],
      });
    } else if (path.endsWith("/.well-known/jwks")) send(200, { keys: this.keys.map((k) => k.jwk) });
    else send(404, { error: "not found" });
  }
}

export interface SignOptions {
  iss: string;
  aud: string | string[];
  sub: string;
  claims?: Record<string, unknown>;
  key: TestKey;
  /** Header overrides, e.g. a foreign key's token claiming another kid. */
  kid?: string;
  /** Seconds since the epoch; defaults: iat now, nbf now, exp now + 5 min. */
  iat?: number;
  nbf?: number;
  exp?: number;
}

export function signToken(options: SignOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(options.claims ?? {})
    .setProtectedHeader({ alg: options.key.alg, kid: options.kid ?? options.key.kid, typ: "JWT" })
    .setIssuer(options.iss)
    .setAudience(options.aud)
    .setSubject(options.sub)
    .setIssuedAt(options.iat ?? now)
    .setNotBefore(options.nbf ?? now)
    .setExpirationTime(options.exp ?? now + 300)
    .sign(options.key.privateKey);
}

/** Claims of a GitHub Actions token for `repository` on `main` (STACK.md §5). */
export function githubClaims(
  repository: string,
  extra: Record<string, unknown> = {},
): { sub: string; claims: Record<string, unknown> } {
  const [owner] = repository.split("/");
  const claims = {
    repository,
    repository_owner: owner,
    repository_id: "123456",
    repository_owner_id: "654321",
    ref: "refs/heads/main",
    ref_type: "branch",
    sha: "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d",
    workflow: "ci",
    job_workflow_ref: `${repository}/.github/workflows/ci.yml@refs/heads/main`,
    event_name: "push",
    run_id: "42",
    actor: "octocat",
    ...extra,
  };
  return { sub: `repo:${repository}:ref:refs/heads/main`, claims };
}

/** Claims of a GitLab CI id_token for `projectPath`. */
export function gitlabClaims(
  projectPath: string,
  extra: Record<string, unknown> = {},
): { sub: string; claims: Record<string, unknown> } {
  const [namespace] = projectPath.split("/");
  const claims = {
    namespace_id: "72",
    namespace_path: namespace,
    project_id: "20",
    project_path: projectPath,
    user_id: "5",
    user_login: "alice",
    pipeline_id: "574",
    pipeline_source: "push",
    job_id: "302",
    ref: "main",
    ref_type: "branch",
    ref_path: "refs/heads/main",
    ref_protected: "true",
    runner_id: 1,
    sha: "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d",
    ...extra,
  };
  return { sub: `project_path:${projectPath}:ref_type:branch:ref:main`, claims };
}

export const CIRCLECI_ORG_ID = "c3b1f5a0-5e1e-4b5c-9d6e-1a2b3c4d5e6f";

/** Claims of a CircleCI V2 token; `vcsOrigin` undefined leaves the claim out (a custom-webhook build). */
export function circleciClaims(
  vcsOrigin: string | undefined,
  extra: Record<string, unknown> = {},
): { sub: string; claims: Record<string, unknown> } {
  const claims: JWTPayload = {
    "oidc.circleci.com/project-id": "e4a7d0d9-2b2b-4a6e-8e7e-2f0c8a1b9c3d",
    "oidc.circleci.com/context-ids": [],
    "oidc.circleci.com/ssh-rerun": false,
    ...(vcsOrigin ? { "oidc.circleci.com/vcs-origin": vcsOrigin, "oidc.circleci.com/vcs-ref": "refs/heads/main" } : {}),
    ...extra,
  };
  const origin = vcsOrigin ? `/vcs-origin/${vcsOrigin}/vcs-ref/refs/heads/main` : "";
  return { sub: `org/${CIRCLECI_ORG_ID}/project/e4a7d0d9/user/9a8b7c6d${origin}`, claims };
}
