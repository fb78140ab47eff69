import { describe, expect, test } from "@jest/globals";
import { ConfigError } from "../errors.js";
import { mergeGimletConfigs, parseConfigFile } from "./merge.js";
import { checkPolicyRef, checkRepository, isProtectedEnv } from "./trust.js";

const ORG = `
environments:
  staging:
    repository: acme/gitops-staging
    path: staging
  production:
    repository: acme/gitops-production
    path: ""
    production: true
    deployers: [acme/sre, alice]
    repositories: ["acme/*"]
    branches: [main, "release/*"]
    namespaces: ["shop-*"]
    clusterScoped: [ClusterRole]
artifacts: { repository: acme/gitops-staging, branch: gimlet-artifacts }
`;
const org = () => parseConfigFile(ORG, "acme/.github:.github/gimlet.yml");
const repo = (text: string) => parseConfigFile(text, "acme/shop:.github/gimlet.yml", org());

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("mergeGimletConfigs", () => {
  test("without an organisation file the repository's file is the whole configuration", () => {
    const own = repo("environments:\n  dev:\n    repository: acme/gitops-dev\n");
    expect(mergeGimletConfigs(undefined, own)).toBe(own.config);
  });

  test("without a repository file the organisation's is", () => {
    expect(Object.keys(mergeGimletConfigs(org(), undefined).environments)).toEqual(["staging", "production"]);
  });

  test("a repository adds environments of its own and narrows an organisation environment", () => {
    const merged = mergeGimletConfigs(
      org(),
      repo(`
environments:
  preview:
    repository: acme/shop-previews
  production:
    url: https://shop.acme.dev
    deployers: [alice]
    branches: [main]
    namespaces: [shop-prod]
    clusterScoped: false
`),
    );
    expect(merged.environments.preview?.repository).toBe("acme/shop-previews");
    expect(merged.environments.production).toMatchObject({
      repository: "acme/gitops-production",
      path: "",
      production: true,
      url: "https://shop.acme.dev",
      deployers: ["alice"],
      repositories: ["acme/*"],
      branches: ["main"],
      namespaces: ["shop-prod"],
      clusterScoped: false,
    });
    expect(merged.artifacts).toEqual({ repository: "acme/gitops-staging", branch: "gimlet-artifacts" });
  });

  test("a repository can't widen or move an organisation environment; every violation is reported at once", () => {
    const found = problems(() =>
      mergeGimletConfigs(
        org(),
        repo(`
environments:
  production:
    repository: evil/gitops
    branch: other
    path: elsewhere
    production: false
    deployers: [mallory]
    repositories: ["*"]
    branches: ["feat-*"]
    namespaces: [kube-system]
    clusterScoped: true
  staging:
    repository: acme/gitops-staging
    path: staging
  sneaky:
    repository: acme/gitops-production
artifacts: { repository: evil/loot, branch: x }
`),
      ),
    );
    const at = (p: string) => `acme/shop:.github/gimlet.yml: ${p}`;
    expect(found).toEqual([
      `${at("environments.production.repository")}: the organisation's environment production lives at "acme/gitops-production" (acme/.github:.github/gimlet.yml); a repository can't move it`,
      `${at("environments.production.branch")}: the organisation's environment production lives at "main" (acme/.github:.github/gimlet.yml); a repository can't move it`,
      `${at("environments.production.path")}: the organisation's environment production lives at "" (acme/.github:.github/gimlet.yml); a repository can't move it`,
      `${at("environments.production.production")}: the organisation marks production as production; a repository can't turn that off`,
      `${at("environments.production.deployers")}: mallory is not among the organisation's deployers for production (acme/sre, alice); a repository may only narrow them`,
      `${at("environments.production.repositories")}: * is not among the organisation's repositories for production (acme/*); a repository may only narrow them`,
      `${at("environments.production.branches")}: feat-* is not among the organisation's branches for production (main, release/*); a repository may only narrow them`,
      `${at("environments.production.namespaces")}: kube-system is not among the organisation's namespaces for production (shop-*); a repository may only narrow them`,
      `${at("environments.production.clusterScoped")}: the organisation allows ["ClusterRole"] in production; a repository may only narrow that`,
      `${at("environments.sneaky.repository")}: acme/gitops-production is the gitops repository of the organisation's environment production; only acme/.github:.github/gimlet.yml may configure environments there`,
      `${at("artifacts")}: artifact files go to acme/gitops-staging@gimlet-artifacts (acme/.github:.github/gimlet.yml)`,
    ]);
  });

  test("a plain name matched by an organisation glob narrows; a different glob does not", () => {
    const merged = mergeGimletConfigs(org(), repo("environments:\n  production:\n    branches: [release/2026]\n"));
    expect(merged.environments.production?.branches).toEqual(["release/2026"]);
    expect(
      problems(() => mergeGimletConfigs(org(), repo('environments:\n  production:\n    branches: ["release/**x"]\n'))),
    ).toHaveLength(1);
  });

  test("an organisation production env without branches takes the default branch only: a repository can't name any", () => {
    const noBranches = parseConfigFile(
      ORG.replace('    branches: [main, "release/*"]\n', ""),
      "acme/.github:.github/gimlet.yml",
    );
    const repoFile = parseConfigFile(
      "environments:\n  production:\n    branches: [main]\n",
      "acme/shop:.github/gimlet.yml",
      noBranches,
    );
    expect(problems(() => mergeGimletConfigs(noBranches, repoFile))).toEqual([
      "acme/shop:.github/gimlet.yml: environments.production.branches: the organisation's production is production and takes policy deploys from the default branch only; only acme/.github:.github/gimlet.yml can name branches for it",
    ]);
  });

  test("stating the organisation's own location again is not a move", () => {
    const merged = mergeGimletConfigs(
      org(),
      repo('environments:\n  production:\n    repository: ACME/gitops-production\n    path: ""\n    branch: main\n'),
    );
    expect(merged.environments.production?.repository).toBe("acme/gitops-production");
  });
});

describe("trust checks", () => {
  const env = (text: string) => repo(`environments:\n  e:\n    repository: acme/g\n${text}`).config.environments.e!;

  test("protected envs: production, deployers or branches", () => {
    expect(isProtectedEnv(env(""))).toBe(false);
    expect(isProtectedEnv(env("    production: true\n"))).toBe(true);
    expect(isProtectedEnv(env("    deployers: [a]\n"))).toBe(true);
    expect(isProtectedEnv(env("    branches: [main]\n"))).toBe(true);
  });

  test("repositories globs, case-insensitive", () => {
    const e = env('    repositories: ["acme/*"]\n');
    expect(checkRepository(e, "e", "ACME/shop")).toBeUndefined();
    expect(checkRepository(e, "e", "evil/shop")).toEqual({
      reasonCode: "repository_not_allowed",
      reason: "evil/shop may not deploy to e: its repositories are acme/*",
    });
    expect(checkRepository(env(""), "e", "evil/shop")).toBeUndefined();
  });

  test("production without branches: the default branch only; branches says otherwise", () => {
    const prod = env("    production: true\n");
    expect(checkPolicyRef(prod, "e", { event: "push", branch: "trunk" }, "trunk")).toBeUndefined();
    expect(checkPolicyRef(prod, "e", { event: "push", branch: "feat-x" }, "trunk")?.reasonCode).toBe(
      "branch_not_allowed",
    );
    expect(checkPolicyRef(prod, "e", { event: "tag", tag: "v1" }, "trunk")?.reasonCode).toBe("branch_not_allowed");
    const tags = env('    production: true\n    branches: [main, "refs/tags/v*"]\n');
    expect(checkPolicyRef(tags, "e", { event: "tag", tag: "v1.2" }, "main")).toBeUndefined();
    expect(checkPolicyRef(tags, "e", { event: "tag", tag: "main" }, "main")?.reasonCode).toBe("branch_not_allowed");
    expect(checkPolicyRef(tags, "e", { event: "pr", branch: "feat-x" }, "main")?.reason).toBe(
      "artifacts of feat-x are not deployed to e by policy: its branches are main, refs/tags/v*",
    );
    expect(checkPolicyRef(env(""), "e", { event: "push", branch: "anything" }, "main")).toBeUndefined();
  });
});
