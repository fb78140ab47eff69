import { describe, expect, test } from "@jest/globals";
import { parseArtifact, type Version } from "../artifact/index.js";
import { type DeployPolicy, parseManifest } from "../manifest/index.js";
import { evaluateDeployPolicy } from "./deploy.js";

const SHA = "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d";

function version(v: Partial<Record<string, unknown>>): Version {
  return parseArtifact({ version: { repositoryName: "acme/shop", sha: SHA, ...v } }).version;
}
const push = (branch: string, message?: string) => version({ event: "push", branch, message });
const tag = (t: string) => version({ event: "tag", tag: t });
const pr = (branch: string) => version({ event: "pr", branch, prNumber: 42 });

function decide(deploy: DeployPolicy | undefined, v: Version, extra: Record<string, unknown> = {}) {
  const manifest = parseManifest({ app: "shop", env: "staging", ...(deploy ? { deploy } : {}), ...extra }, "m.yaml");
  return evaluateDeployPolicy(manifest, v);
}

describe("deploy policy (DESIGN §5)", () => {
  test.each<[string, DeployPolicy | undefined, Version, boolean, string]>([
    ["no deploy block never deploys", undefined, push("main"), false, "no_policy"],
    ["an empty block never deploys", {}, push("main"), false, "no_policy"],
    ["push to the branch", { event: "push", branch: "main" }, push("main"), true, "matched"],
    ["push to another branch", { event: "push", branch: "main" }, push("dev"), false, "branch_mismatch"],
    ["event alone: any push", { event: "push" }, push("whatever/x"), true, "matched"],
    ["event mismatch: a tag policy and a push", { event: "tag", tag: "v*" }, push("main"), false, "event_mismatch"],
    ["event mismatch: a push policy and a PR", { event: "push", branch: "*" }, pr("main"), false, "event_mismatch"],
    ["pr policy uses the head branch", { event: "pr", branch: "feature/*" }, pr("feature/login-form"), true, "matched"],
    ["pr policy, other head branch", { event: "pr", branch: "feature/*" }, pr("fix/x"), false, "branch_mismatch"],
    ["* crosses /", { event: "push", branch: "*" }, push("feature/a/b"), true, "matched"],
    ["negated branch glob excludes", { event: "push", branch: "!main" }, push("main"), false, "branch_mismatch"],
    ["negated branch glob includes the rest", { event: "push", branch: "!main" }, push("dev"), true, "matched"],
    ["tag glob", { event: "tag", tag: "v*" }, tag("v1.4.0"), true, "matched"],
    ["tag glob mismatch", { event: "tag", tag: "v*" }, tag("release-1"), false, "tag_mismatch"],
    ["negated tag glob (differs from Gimlet)", { event: "tag", tag: "!v1*" }, tag("v1.4.0"), false, "tag_mismatch"],
    ["negated tag glob lets others through", { event: "tag", tag: "!v1*" }, tag("v2.0.0"), true, "matched"],
    ["brace alternatives in tags", { event: "tag", tag: "v{1,2}.*" }, tag("v2.3"), true, "matched"],
    ["character classes in tags", { event: "tag", tag: "v[0-9].*" }, tag("vx.1"), false, "tag_mismatch"],
  ])("%s", (_name, policy, v, deploy, reasonCode) => {
    const outcome = decide(policy, v);
    expect({ deploy: outcome.deploy, reasonCode: outcome.reasonCode }).toEqual({ deploy, reasonCode });
    expect(outcome.reason.length).toBeGreaterThan(10);
  });

  test("an artifact without a tag never matches a tag policy, even a negated one (differs from Gimlet)", () => {
    const noTag = { ...tag("v1"), tag: undefined };
    expect(decide({ event: "tag", tag: "!v1*" }, noTag)).toMatchObject({ deploy: false, reasonCode: "tag_missing" });
    expect(decide({ event: "tag", tag: "*" }, noTag)).toMatchObject({ deploy: false, reasonCode: "tag_missing" });
  });

  describe("commit message patterns", () => {
    const patterns = { commitMessagePatterns: ["*[deploy staging]*"] };
    test("match with literal brackets", () => {
      expect(decide(patterns, push("main", "fix: x [deploy staging]"))).toMatchObject({ deploy: true });
      expect(decide(patterns, push("main", "fix: x d"))).toMatchObject({
        deploy: false,
        reasonCode: "message_mismatch",
      });
    });
    test("[DEPLOY: ALL] matches any manifest with patterns", () => {
      expect(decide(patterns, push("main", "big bang [DEPLOY: ALL]"))).toMatchObject({ deploy: true });
    });
    test("[DEPLOY: ALL] does nothing for manifests without patterns", () => {
      expect(decide(undefined, push("main", "[DEPLOY: ALL]"))).toMatchObject({
        deploy: false,
        reasonCode: "no_policy",
      });
    });
    test("patterns and branch/event must all hold", () => {
      const both = { event: "push" as const, branch: "main", commitMessagePatterns: ["*[ship]*"] };
      expect(decide(both, push("main", "x [ship]"))).toMatchObject({ deploy: true });
      expect(decide(both, push("dev", "x [ship]"))).toMatchObject({ deploy: false, reasonCode: "branch_mismatch" });
      expect(decide(both, push("main", "x"))).toMatchObject({ deploy: false, reasonCode: "message_mismatch" });
      expect(decide(both, tag("v1"))).toMatchObject({ deploy: false, reasonCode: "event_mismatch" });
    });
  });

  describe("previews", () => {
    test("a preview manifest deploys PR artifacts without a deploy block", () => {
      expect(decide(undefined, pr("feature/x"), { preview: true })).toMatchObject({
        deploy: true,
        reasonCode: "matched",
      });
    });
    test("a preview manifest never deploys pushes or tags", () => {
      expect(decide(undefined, push("main"), { preview: true })).toMatchObject({
        deploy: false,
        reasonCode: "preview_needs_pr",
      });
      expect(decide(undefined, tag("v1"), { preview: true })).toMatchObject({
        deploy: false,
        reasonCode: "preview_needs_pr",
      });
    });
    test("a preview manifest with a branch policy filters PR branches", () => {
      expect(decide({ event: "pr", branch: "!dependabot/*" }, pr("dependabot/npm/x"), { preview: true })).toMatchObject(
        { deploy: false, reasonCode: "branch_mismatch" },
      );
      expect(decide({ event: "pr", branch: "!dependabot/*" }, pr("feature/x"), { preview: true })).toMatchObject({
        deploy: true,
      });
    });
  });
});
