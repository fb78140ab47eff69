import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import {
  ApiTokenStore,
  AuthError,
  authenticate,
  authorizeEnvironment,
  authorizeRepository,
  type CallerIdentity,
  describeCaller,
  OidcVerifier,
} from "../../app/auth/index.js";
import { githubClaims, signToken, TestOidcServer } from "../helpers/oidc.js";

const AUD = "gimlet";
let idp: TestOidcServer;
let oidc: OidcVerifier;
const { token: apiToken, record } = ApiTokenStore.generate({
  name: "jenkins",
  repositories: ["acme/*", "!acme/secrets", "tools/cli"],
});
const tokens = new ApiTokenStore([record]);

beforeAll(async () => {
  idp = await TestOidcServer.start();
  oidc = new OidcVerifier({ issuers: [{ kind: "github", issuer: idp.issuer() }], audience: AUD });
});
afterAll(() => idp.close());

async function refusal(fn: () => unknown): Promise<AuthError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error("expected an AuthError");
}

describe("authenticate", () => {
  test("a missing header is 401 with the expected form", async () => {
    for (const header of [undefined, "", "  "]) {
      expect(await refusal(() => authenticate(header, { oidc, tokens }))).toMatchObject({
        status: 401,
        reason: "missing_token",
        message: "missing Authorization: Bearer <token>",
      });
    }
  });

  test("another scheme is refused without echoing the header", async () => {
    const error = await refusal(() => authenticate(`Basic ${apiToken}`, { oidc, tokens }));
    expect(error).toMatchObject({ status: 401, reason: "malformed_token" });
    expect(error.message).not.toContain(apiToken);
  });

  test("Bearer gmlt_ goes to the token store", async () => {
    expect(await authenticate(`Bearer ${apiToken}`, { oidc, tokens })).toEqual({
      kind: "token",
      name: "jenkins",
      repositories: ["acme/*", "!acme/secrets", "tools/cli"],
    });
    expect(await refusal(() => authenticate(`Bearer ${apiToken}`, { oidc }))).toMatchObject({
      status: 401,
      reason: "unknown_token",
    });
  });

  test("any other bearer goes to OIDC", async () => {
    const jwt = await signToken({ iss: idp.issuer(), aud: AUD, key: idp.key, ...githubClaims("acme/shop") });
    expect(await authenticate(`bearer ${jwt}`, { oidc, tokens })).toMatchObject({
      kind: "oidc",
      repository: "acme/shop",
    });
    expect(await refusal(() => authenticate(`Bearer ${jwt}`, { tokens }))).toMatchObject({
      status: 401,
      reason: "untrusted_issuer",
    });
  });
});

describe("authorizeRepository", () => {
  const oidcCaller: CallerIdentity = {
    kind: "oidc",
    issuerKind: "github",
    issuer: "https://token.actions.githubusercontent.com",
    subject: "repo:acme/a:ref:refs/heads/main",
    repository: "acme/a",
    ref: "refs/heads/main",
    actor: "octocat",
    claims: {},
  };

  test("an OIDC caller acts for its own repository, case-insensitively", () => {
    expect(() => authorizeRepository(oidcCaller, "acme/a")).not.toThrow();
    expect(() => authorizeRepository(oidcCaller, "ACME/A")).not.toThrow();
  });

  test("a token for repository A used for B is 403", async () => {
    expect(await refusal(() => authorizeRepository(oidcCaller, "acme/b"))).toMatchObject({
      status: 403,
      reason: "repository_forbidden",
      message: "the token is for acme/a; it can't act for acme/b",
    });
  });

  test("an API token acts for the repositories its globs match", async () => {
    const caller = tokens.verify(apiToken);
    for (const repository of ["acme/shop", "Acme/Web", "tools/cli"])
      expect(() => authorizeRepository(caller, repository)).not.toThrow();
    for (const repository of ["acme/secrets", "tools/other", "evil/acme"]) {
      expect(await refusal(() => authorizeRepository(caller, repository))).toMatchObject({
        status: 403,
        reason: "repository_forbidden",
      });
    }
    expect(await refusal(() => authorizeRepository(caller, "evil/x"))).toHaveProperty(
      "message",
      'API token "jenkins" may act for acme/*, !acme/secrets, tools/cli; it can\'t act for evil/x',
    );
  });

  test("an API token that names its environments releases only there; without them, anywhere", async () => {
    const scoped = ApiTokenStore.generate({
      name: "circleci",
      repositories: ["acme/*"],
      environments: ["staging", "preview-*", "!preview-secret"],
    });
    const caller = new ApiTokenStore([scoped.record]).verify(scoped.token);
    for (const env of ["staging", "preview-pr-7"]) expect(() => authorizeEnvironment(caller, env)).not.toThrow();
    for (const env of ["production", "preview-secret"])
      expect(await refusal(() => authorizeEnvironment(caller, env))).toMatchObject({
        status: 403,
        reason: "environment_forbidden",
        message: `API token "circleci" may release to staging, preview-*, !preview-secret; not to ${env}`,
      });
    expect(() => authorizeEnvironment(tokens.verify(apiToken), "production")).not.toThrow();
    expect(() => authorizeEnvironment(oidcCaller, "production")).not.toThrow();
  });

  test("describeCaller names the caller in one line", () => {
    expect(describeCaller(oidcCaller)).toBe("github:acme/a@refs/heads/main (octocat)");
    expect(describeCaller(tokens.verify(apiToken))).toBe("token:jenkins");
  });
});

describe("server defaults", () => {
  test("only GitHub Actions is trusted without configuration: a GitLab project is not a GitHub repository", async () => {
    const { defaultOidcIssuers } = await import("../../app/env.js");
    expect(defaultOidcIssuers).toEqual([{ kind: "github", issuer: "https://token.actions.githubusercontent.com" }]);
  });
});
