import { describe, expect, test } from "@jest/globals";
import { artifactFromCiEnv, detectCiProvider, parseArtifact, templateVariables } from "../../shared/artifact/index.js";
import { ConfigError } from "../../shared/errors.js";
import { loadCiEnv, secretValues } from "../helpers/ciEnv.js";

const PUSH_SHA = "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d";
const PR_HEAD_SHA = "9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4938271605";
const providers = ["github", "circleci", "gitlab"] as const;
const branchFixture = { github: "github-push", circleci: "circleci-branch", gitlab: "gitlab-branch" };
const tagFixture = { github: "github-tag", circleci: "circleci-tag", gitlab: "gitlab-tag" };
const prFixture = { github: "github-pr", circleci: "circleci-pr", gitlab: "gitlab-mr" };

function build(name: string) {
  const { env, event } = loadCiEnv(name);
  const built = artifactFromCiEnv(env, event);
  const artifact = parseArtifact(built.artifact);
  return { env, artifact, built, vars: templateVariables(artifact) };
}

const pick = (vars: Record<string, string>, names: string[]) => Object.fromEntries(names.map((n) => [n, vars[n]]));

describe("artifacts from CI environments", () => {
  test.each(providers)("%s branch build gives the common built-ins", (provider) => {
    const { vars, artifact } = build(branchFixture[provider]);
    expect(detectCiProvider(loadCiEnv(branchFixture[provider]).env)).toBe(provider);
    expect(pick(vars, ["REPO", "OWNER", "BRANCH", "SHA", "EVENT"])).toEqual({
      REPO: "acme/shop",
      OWNER: "acme",
      BRANCH: "main",
      SHA: PUSH_SHA,
      EVENT: "push",
    });
    expect(vars.TAG).toBeUndefined();
    expect(vars.PR_NUMBER).toBeUndefined();
    expect(vars.ACTOR).toBe("octocat");
    expect(vars.JOB).toMatch(/^(build|ship)$/);
    expect(artifact.version.url).toContain(PUSH_SHA);
    expect(artifact.context.CI_PROVIDER).toBe(provider);
  });

  test.each(providers)("%s tag build gives TAG and no BRANCH", (provider) => {
    const { vars, artifact } = build(tagFixture[provider]);
    expect(pick(vars, ["REPO", "TAG", "SHA", "EVENT"])).toEqual({
      REPO: "acme/shop",
      TAG: "v1.4.0",
      SHA: PUSH_SHA,
      EVENT: "tag",
    });
    expect(vars.BRANCH).toBeUndefined();
    expect(artifact.version.event).toBe("tag");
  });

  test.each(providers)("%s PR build uses the head branch and the head commit", (provider) => {
    const { vars, artifact } = build(prFixture[provider]);
    expect(pick(vars, ["REPO", "BRANCH", "SHA", "EVENT", "PR_NUMBER"])).toEqual({
      REPO: "acme/shop",
      BRANCH: "feature/login-form",
      SHA: PR_HEAD_SHA,
      EVENT: "pr",
      PR_NUMBER: "42",
    });
    expect(artifact.version.sourceBranch).toBe("feature/login-form");
    expect(artifact.version.prNumber).toBe(42);
    expect(vars.ACTOR).toBe("hubber");
  });

  test("GitHub PR: the merge commit in GITHUB_SHA is not used", () => {
    const { artifact, env } = build("github-pr");
    expect(env.GITHUB_SHA).not.toBe(PR_HEAD_SHA);
    expect(artifact.version.sha).toBe(PR_HEAD_SHA);
    expect(artifact.version.targetBranch).toBe("main");
  });

  test("GitLab MR: target branch and commit details come along", () => {
    const { artifact } = build("gitlab-mr");
    expect(artifact.version.targetBranch).toBe("main");
    expect(artifact.version.message).toBe("Cache product images\n\nCuts page load by a third.");
    expect(artifact.version.authorName).toBe("Octo Cat");
    expect(artifact.version.authorEmail).toBe("octocat@acme.example");
  });

  test("GitHub push: commit message and author come from the event payload", () => {
    const { artifact } = build("github-push");
    expect(artifact.version.message).toBe("Cache product images\n\nCuts page load by a third.");
    expect(artifact.version.authorName).toBe("Octo Cat");
    expect(artifact.version.created).toBe("2026-11-20T13:03:11.000Z");
  });

  const allFixtures = [...Object.values(branchFixture), ...Object.values(tagFixture), ...Object.values(prFixture)];
  test.each(allFixtures)("%s: no secret reaches the artifact", (name) => {
    const { artifact, env } = build(name);
    const text = JSON.stringify(artifact);
    const secrets = secretValues(env);
    expect(secrets.length).toBeGreaterThan(2);
    for (const secret of secrets) expect(text).not.toContain(secret);
    for (const leaked of ["ghs_", "npm_a1B2", "hunter2", "AKIAIOSFODNN7EXAMPLE", "wJalrXUt", "gmlt_", "glcbt-", "eyJ"])
      expect(text).not.toContain(leaked);
  });

  test("an allow-listed variable holding a token is dropped and reported", () => {
    const { env } = loadCiEnv("github-push");
    const built = artifactFromCiEnv({ ...env, GITHUB_WORKFLOW: "ghp_0123456789abcdefghijABCDEFGHIJ012345" }, undefined);
    expect(built.dropped).toEqual(["GITHUB_WORKFLOW"]);
    expect(built.artifact.context?.GITHUB_WORKFLOW).toBeUndefined();
  });

  test("no CI detected is a ConfigError that says what to do", () => {
    expect(() => artifactFromCiEnv({ PATH: "/usr/bin" })).toThrow(ConfigError);
    expect(() => artifactFromCiEnv({ PATH: "/usr/bin" })).toThrow(/--repository/);
  });

  test("a GitHub PR run without its event payload is refused", () => {
    const { env } = loadCiEnv("github-pr");
    expect(() => artifactFromCiEnv(env, undefined)).toThrow(/pull_request.head.sha/);
  });
});
