import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { SignJWT } from "jose";
import { AuthError, OidcVerifier } from "../../app/auth/index.js";
import { Transient } from "../../shared/errors.js";
import {
  CIRCLECI_ORG_ID,
  circleciClaims,
  githubClaims,
  gitlabClaims,
  makeKey,
  signToken,
  type TestKey,
  TestOidcServer,
} from "../helpers/oidc.js";

const AUD = "https://gimlet.example.com";
let idp: TestOidcServer;
let stranger: TestOidcServer;
let verifier: OidcVerifier;

beforeAll(async () => {
  idp = await TestOidcServer.start();
  stranger = await TestOidcServer.start(idp.key); // same key: only trust tells them apart
  verifier = new OidcVerifier({
    issuers: [
      { kind: "github", issuer: idp.issuer() },
      { kind: "gitlab", issuer: idp.issuer("/gitlab/") },
      { kind: "circleci", issuer: idp.issuer("/org/"), audience: CIRCLECI_ORG_ID },
    ],
    audience: AUD,
    fetchTimeoutMs: 2000,
  });
});

afterAll(async () => {
  await Promise.all([idp.close(), stranger.close()]);
});

async function refusal(promise: Promise<unknown>): Promise<AuthError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error("expected an AuthError");
}

const github = (repository = "acme/shop", over: Partial<Parameters<typeof signToken>[0]> = {}) =>
  signToken({ iss: idp.issuer(), aud: AUD, key: idp.key, ...githubClaims(repository), ...over });
const circleci = (vcsOrigin: string | undefined, over: Partial<Parameters<typeof signToken>[0]> = {}) =>
  signToken({
    iss: idp.issuer(`/org/${CIRCLECI_ORG_ID}`),
    aud: CIRCLECI_ORG_ID,
    key: idp.key,
    ...circleciClaims(vcsOrigin),
    ...over,
  });
const now = () => Math.floor(Date.now() / 1000);

describe("OidcVerifier: valid tokens", () => {
  test("a GitHub Actions token maps to its repository, ref and actor", async () => {
    const caller = await verifier.verify(await github("Acme/Shop"));
    expect(caller).toMatchObject({
      kind: "oidc",
      issuerKind: "github",
      issuer: idp.issuer(),
      repository: "Acme/Shop",
      ref: "refs/heads/main",
      actor: "octocat",
    });
    expect(caller.subject).toBe("repo:Acme/Shop:ref:refs/heads/main");
    expect(caller.claims.run_id).toBe("42");
  });

  test("a GitLab token maps project_path and ref_path", async () => {
    const token = await signToken({ iss: idp.issuer("/gitlab"), aud: AUD, key: idp.key, ...gitlabClaims("acme/api") });
    expect(await verifier.verify(token)).toMatchObject({
      issuerKind: "gitlab",
      repository: "acme/api",
      ref: "refs/heads/main",
      actor: "alice",
    });
  });

  test("a CircleCI token of any org maps vcs-origin github.com/org/repo to org/repo", async () => {
    expect(await verifier.verify(await circleci("github.com/acme/web"))).toMatchObject({
      issuerKind: "circleci",
      repository: "acme/web",
      ref: "refs/heads/main",
    });
  });

  test("discovery happens once per issuer", async () => {
    await verifier.verify(await github());
    await verifier.verify(await github());
    const discoveries = idp.requests.filter((r) => r === "/.well-known/openid-configuration");
    expect(discoveries).toHaveLength(1);
  });
});

describe("OidcVerifier: refusals", () => {
  test("an issuer that is not configured is refused before any request to it", async () => {
    const token = await signToken({
      iss: stranger.issuer(),
      aud: AUD,
      key: stranger.key,
      ...githubClaims("acme/shop"),
    });
    const error = await refusal(verifier.verify(token));
    expect(error).toMatchObject({ status: 401, reason: "untrusted_issuer" });
    expect(error.message).toContain(
      `issuer "${stranger.issuer()}" is not trusted; trusted: ${idp.issuer()}, ${idp.issuer("/gitlab")}, ${idp.issuer("/org/")}*`,
    );
    expect(stranger.requests).toEqual([]);
  });

  test("a wrong issuer on the trusted host is refused", async () => {
    const error = await refusal(verifier.verify(await github("acme/shop", { iss: idp.issuer("/evil") })));
    expect(error).toMatchObject({ status: 401, reason: "untrusted_issuer" });
  });

  test("a wrong audience names both audiences", async () => {
    const error = await refusal(verifier.verify(await github("acme/shop", { aud: "https://github.com/acme" })));
    expect(error).toMatchObject({ status: 401, reason: "bad_audience" });
    expect(error.message).toBe(`the token's audience is "https://github.com/acme"; the server expects "${AUD}"`);
  });

  test("a CircleCI token must carry its org's audience", async () => {
    const error = await refusal(verifier.verify(await circleci("github.com/acme/web", { aud: AUD })));
    expect(error.message).toBe(`the token's audience is "${AUD}"; the server expects "${CIRCLECI_ORG_ID}"`);
  });

  test("an expired token says when it expired", async () => {
    const exp = now() - 600;
    const error = await refusal(verifier.verify(await github("acme/shop", { iat: exp - 300, nbf: exp - 300, exp })));
    expect(error).toMatchObject({ status: 401, reason: "expired" });
    expect(error.message).toContain(`the token expired at ${new Date(exp * 1000).toISOString()}`);
  });

  test("a token not yet valid is refused", async () => {
    const nbf = now() + 600;
    const error = await refusal(verifier.verify(await github("acme/shop", { nbf, exp: nbf + 300 })));
    expect(error).toMatchObject({ status: 401, reason: "not_yet_valid" });
    expect(error.message).toContain(`not valid before ${new Date(nbf * 1000).toISOString()}`);
  });

  test("a token signed by a foreign key with the issuer's kid is refused", async () => {
    const foreign: TestKey = { ...(await makeKey("RS256")), kid: idp.key.kid };
    const error = await refusal(verifier.verify(await github("acme/shop", { key: foreign })));
    expect(error).toMatchObject({ status: 401, reason: "bad_signature" });
    expect(error.message).toContain("was not issued by");
  });

  test("alg none is refused without fetching anything", async () => {
    const before = idp.requests.length;
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const { sub, claims } = githubClaims("acme/shop");
    const token = `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...claims, sub, iss: idp.issuer(), aud: AUD, exp: now() + 300 })}.`;
    const error = await refusal(verifier.verify(token));
    expect(error).toMatchObject({
      status: 401,
      reason: "alg_not_allowed",
      message: "unsigned tokens (alg none) are never accepted",
    });
    expect(idp.requests.length).toBe(before);
  });

  test("HS256 signed with the issuer's public key as secret is refused", async () => {
    const secret = new TextEncoder().encode(JSON.stringify(idp.key.jwk));
    const { sub, claims } = githubClaims("acme/shop");
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", kid: idp.key.kid })
      .setIssuer(idp.issuer())
      .setAudience(AUD)
      .setSubject(sub)
      .setExpirationTime("5m")
      .sign(secret);
    const error = await refusal(verifier.verify(token));
    expect(error).toMatchObject({ status: 401, reason: "alg_not_allowed" });
    expect(error.message).toMatch(/^symmetric alg HS256 is not accepted/);
  });

  test("a CircleCI token without vcs-origin can't be bound to a repository", async () => {
    const error = await refusal(verifier.verify(await circleci(undefined)));
    expect(error).toMatchObject({ status: 401, reason: "no_repository" });
    expect(error.message).toContain('no "oidc.circleci.com/vcs-origin" claim');
  });

  test("a CircleCI token from another VCS host is refused", async () => {
    const error = await refusal(verifier.verify(await circleci("bitbucket.org/acme/web")));
    expect(error).toMatchObject({ status: 403, reason: "no_repository" });
  });

  test("a GitHub token without a repository claim is refused", async () => {
    const error = await refusal(verifier.verify(await github("acme/shop", { claims: { actor: "octocat" } })));
    expect(error).toMatchObject({ status: 401, reason: "no_repository" });
  });

  test("a token without exp is refused", async () => {
    const token = await new SignJWT(githubClaims("acme/shop").claims)
      .setProtectedHeader({ alg: idp.key.alg, kid: idp.key.kid })
      .setIssuer(idp.issuer())
      .setAudience(AUD)
      .setSubject("repo:acme/shop:ref:refs/heads/main")
      .sign(idp.key.privateKey);
    expect(await refusal(verifier.verify(token))).toMatchObject({
      status: 401,
      reason: "invalid_claims",
      message: 'the token has no "exp" claim',
    });
  });

  test("a token that is no JWT is refused", async () => {
    expect(await refusal(verifier.verify("not-a-jwt"))).toMatchObject({ status: 401, reason: "malformed_token" });
  });
});

describe("OidcVerifier: keys and issuers", () => {
  test("a rotated key verifies without restarting the verifier", async () => {
    const server = await TestOidcServer.start();
    try {
      const rotating = new OidcVerifier({
        issuers: [{ kind: "github", issuer: server.issuer() }],
        audience: AUD,
        jwksCooldownMs: 0,
      });
      const sign = () => signToken({ iss: server.issuer(), aud: AUD, key: server.key, ...githubClaims("acme/shop") });
      const old = await sign();
      expect((await rotating.verify(old)).repository).toBe("acme/shop");
      await server.rotate();
      expect((await rotating.verify(await sign())).repository).toBe("acme/shop");
      expect(await refusal(rotating.verify(old))).toMatchObject({ status: 401, reason: "unknown_key" });
      expect(server.requests.filter((r) => r.endsWith("/jwks")).length).toBeGreaterThanOrEqual(2);
    } finally {
      await server.close();
    }
  });

  test("discovery naming another issuer is refused", async () => {
    const server = await TestOidcServer.start();
    try {
      server.discoveryIssuer = "https://token.actions.githubusercontent.com";
      const lied = new OidcVerifier({ issuers: [{ kind: "github", issuer: server.issuer() }], audience: AUD });
      const token = await signToken({ iss: server.issuer(), aud: AUD, key: server.key, ...githubClaims("acme/shop") });
      expect(await refusal(lied.verify(token))).toMatchObject({ status: 401, reason: "untrusted_issuer" });
    } finally {
      await server.close();
    }
  });

  test("an issuer limited to repository globs refuses others with 403", async () => {
    const scoped = new OidcVerifier({
      issuers: [{ kind: "github", issuer: idp.issuer(), repositories: ["acme/*"] }],
      audience: AUD,
    });
    expect((await scoped.verify(await github("ACME/shop"))).repository).toBe("ACME/shop");
    expect(await refusal(scoped.verify(await github("evil/shop")))).toMatchObject({
      status: 403,
      reason: "repository_forbidden",
    });
  });

  test("an unreachable issuer is Transient, and retried on the next request", async () => {
    const down = new OidcVerifier({
      issuers: [{ kind: "github", issuer: "http://127.0.0.1:1" }],
      audience: AUD,
      fetchTimeoutMs: 1000,
    });
    const token = await signToken({ iss: "http://127.0.0.1:1", aud: AUD, key: idp.key, ...githubClaims("acme/shop") });
    await expect(down.verify(token)).rejects.toBeInstanceOf(Transient);
    await expect(down.verify(token)).rejects.toThrow(
      "could not fetch http://127.0.0.1:1/.well-known/openid-configuration",
    );
  });

  test("configuration mistakes fail at construction", () => {
    expect(() => new OidcVerifier({ issuers: [], audience: AUD })).toThrow("at least one trusted issuer");
    expect(
      () => new OidcVerifier({ issuers: [{ kind: "gitlab", issuer: "http://gitlab.example.com" }], audience: AUD }),
    ).toThrow("must be https");
  });
});
