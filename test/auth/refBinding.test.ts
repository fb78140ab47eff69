import { describe, expect, test } from "@jest/globals";
import { AuthError, authorizeRef, type CallerIdentity } from "../../app/auth/index.js";

const oidc = (ref?: string, claims: Record<string, unknown> = {}): CallerIdentity => ({
  kind: "oidc",
  issuerKind: "github",
  issuer: "https://token.actions.githubusercontent.com",
  subject: "repo:acme/shop",
  repository: "acme/shop",
  ref,
  claims,
});

describe("an OIDC token is bound to the ref its job runs on", () => {
  test.each([
    ["refs/heads/main", { event: "push" as const, branch: "main" }],
    ["refs/tags/v1.4.0", { event: "tag" as const, tag: "v1.4.0" }],
    ["refs/pull/42/merge", { event: "pr" as const, branch: "feature/x", prNumber: 42 }],
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

  test("pull_request_target jobs run on the base branch; only they may ship from it", () => {
    const version = { event: "pr" as const, branch: "feature/x", prNumber: 42, targetBranch: "main" };
    expect(() =>
      authorizeRef(
        oidc("refs/heads/main", { event_name: "pull_request_target", head_ref: "feature/x", base_ref: "main" }),
        version,
      ),
    ).not.toThrow();
    expect(() => authorizeRef(oidc("refs/heads/main", { event_name: "push" }), version)).toThrow(AuthError);
  });

  test("a PR job's head and base branches must be the artifact's", () => {
    const token = oidc("refs/pull/42/merge", { event_name: "pull_request", head_ref: "feature/x", base_ref: "main" });
    expect(() =>
      authorizeRef(token, { event: "pr", branch: "feature/x", prNumber: 42, targetBranch: "main" }),
    ).not.toThrow();
    expect(() => authorizeRef(token, { event: "pr", branch: "release/1", prNumber: 42, targetBranch: "main" })).toThrow(
      "the token's PR head branch is feature/x, not release/1",
    );
    expect(() => authorizeRef(token, { event: "pr", branch: "feature/x", prNumber: 42, targetBranch: "prod" })).toThrow(
      "the token's PR base branch is main, not prod",
    );
    // a job on a feature branch can't take over another PR's preview by naming the branches the other way round
    expect(() =>
      authorizeRef(oidc("refs/heads/feature", {}), {
        event: "pr",
        branch: "main",
        prNumber: 42,
        targetBranch: "feature",
      }),
    ).toThrow(AuthError);
  });

  test("API tokens and tokens without a ref are not bound", () => {
    expect(() =>
      authorizeRef({ kind: "token", name: "ci", repositories: ["acme/*"] }, { event: "push", branch: "main" }),
    ).not.toThrow();
    expect(() => authorizeRef(oidc(undefined), { event: "push", branch: "main" })).not.toThrow();
  });
});
