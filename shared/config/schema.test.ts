import { describe, expect, test } from "@jest/globals";
import { ConfigError } from "../errors.js";
import { parseGimletConfigYaml } from "./load.js";

function problems(text: string): string[] {
  try {
    parseGimletConfigYaml(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

const two = (a: string, b: string) => `
environments:
  staging: { repository: acme/gitops, ${a} }
  production: { repository: ACME/gitops, ${b} }
`;

describe("environments sharing a gitops repository need folders of their own", () => {
  test("disjoint folders, other branches or other repositories are fine", () => {
    expect(problems(two("path: staging", "path: production"))).toEqual([]);
    expect(problems(two("", ""))).toEqual([]); // the default folder is the env name
    expect(problems(two('path: ""', 'path: "", branch: production'))).toEqual([]);
    expect(problems(two("path: apps/staging", "path: apps/production"))).toEqual([]);
    expect(problems(two("path: stag", "path: staging"))).toEqual([]);
  });

  test("the same folder, the root beside a folder, or a folder inside another is refused, with where and why", () => {
    expect(problems(two("path: apps", "path: apps"))).toEqual([
      ".github/gimlet.yml: environments.production.path: production's folder (apps/) overlaps staging's (apps/) in ACME/gitops@main: give each environment a folder of its own, or a repository of its own",
    ]);
    expect(problems(two('path: ""', ""))[0]).toContain(
      "production's folder (production/) overlaps staging's (the repository root) in ACME/gitops@main",
    );
    expect(problems(two("path: apps", "path: apps/production"))[0]).toContain(
      "production's folder (apps/production/) overlaps staging's (apps/)",
    );
  });
});

describe("glob lists", () => {
  test("a list of exclusions only, which would allow nothing, is refused with what to write instead", () => {
    const config = `
environments:
  production:
    repository: acme/gitops
    repositories: ["!acme/secrets"]
    branches: ["!feat-*"]
    namespaces: ["!kube-system"]
`;
    expect(problems(config)).toEqual([
      '.github/gimlet.yml: environments.production.repositories: only exclusions allow nothing: start with the globs to allow, e.g. ["acme/*", "!acme/secrets"]',
      '.github/gimlet.yml: environments.production.branches: only exclusions allow nothing: start with the globs to allow, e.g. ["*", "!experimental/*"]',
      '.github/gimlet.yml: environments.production.namespaces: only exclusions allow nothing: start with the globs to allow, e.g. ["*", "!kube-system"]',
    ]);
    expect(problems(config.replace('["!kube-system"]', '["*", "!kube-system"]'))).toHaveLength(2);
  });
});
