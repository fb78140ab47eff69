import { describe, expect, test } from "@jest/globals";
import { authorizeRef, AuthError, type CallerIdentity } from "../../app/auth/index.js";

const oidc = (ref?: string): CallerIdentity => ({ kind: "oidc", issuerKind: "github", issuer: "https://token.actions.githubusercontent.com", subject: "repo:acme/shop", repository: "acme/shop", ref, claims: {} });

describe("an OIDC token is bound to the ref its job runs on", () => {
  test.each([
    ["refs/heads/main", { event: "push" as const, branch: "main" }],
    ["refs/tags/v1.4.0", { event: "tag" as const, tag: "v1.4.0" }],
    ["refs/pull/42/merge", { event: "pr" as const, branch: "feature/x", prNumber: 42 }],
    ["refs/heads/main", { event: "pr" as const, branch: "feature/x", prNumber: 42, targetBranch: "main" }],
    ["refs/heads/feature/x", { event: "pr" as const, branch: "feature/x", prNumber: 42 }],
    ["refs/merge-requests/7/head", { event: "pr" as const, branch: "feature/x", prNumber: 7 }],
  ])("%s may ship %j", (ref, version) => {
    expect(() => authorizeRef(oidc(ref), version)).not.toThrow();
  });

  test.each([
    ["refs/heads/feat-x", { event: "push" as const, branch: "main" }, "push to main"],
    ["refs/heads/main", { event: "tag" as const, tag: "v1" }, "tag v1"],
    ["refs/pull/41/merge", { event: "pr" as const, branch: "feature/x", prNumber: 42 }, "PR #42 from feature/x"],
  ])("%s may not ship %j", (ref, version, claimed) => {
    expect(() => authorizeRef(oidc(ref), version)).toThrow(AuthError);
    expect(() => authorizeRef(oidc(ref), version)).toThrow(`it can't ship an artifact for a ${claimed}`);
  });

  test("API tokens and tokens without a ref are not bound", () => {
    expect(() => authorizeRef({ kind: "token", name: "ci", repositories: ["acme/*"] }, { event: "push", branch: "main" })).not.toThrow();
    expect(() => authorizeRef(oidc(undefined), { event: "push", branch: "main" })).not.toThrow();
  });
});
