import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { repoRoot } from "./helpers/ciEnv.js";

/** Every TypeScript file under a folder of the repository, as repository-relative paths. */
function tsFiles(folder: string): string[] {
  return readdirSync(join(repoRoot, folder), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => join(folder, file).split("\\").join("/"))
    .sort();
}

/** What a file imports: package names as written, relative imports as repository-relative paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(repoRoot, file), "utf8");
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gms),
    ...text.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
    ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => m[1] ?? "");
  return specifiers.map((s) =>
    s.startsWith(".")
      ? relative(repoRoot, resolve(repoRoot, dirname(file), s))
          .split("\\")
          .join("/")
      : s,
  );
}

const usesProcess = (file: string) =>
  /\bprocess\.(env|argv|cwd|exit|stdout|stderr|stdin|platform)\b/.test(
    readFileSync(join(repoRoot, file), "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ""),
  );

/** Packages and folders `shared/` never reaches: the edges that sit on top of it. */
const EDGES = [/^app\//, /^plugins\//, /^actions\//, /^test\//, /^bench\//, /^probot$/, /^@octokit\//, /^@actions\//];
/** What only `shared/gitops/` may touch: files, processes and git. */
const IO = [/^(node:)?fs(\/promises)?$/, /^(node:)?child_process$/, /^simple-git$/, /^(node:)?process$/];

const shared = tsFiles("shared");
const violations = (files: string[], rules: RegExp[]) =>
  files.flatMap((file) =>
    importsOf(file)
      .filter((spec) => rules.some((rule) => rule.test(spec)))
      .map((spec) => `${file} imports ${spec}`),
  );

describe("the shared/ boundary (DESIGN §2)", () => {
  test("the check sees the imports it is about", () => {
    expect(shared.length).toBeGreaterThan(50);
    expect(importsOf("shared/gitops/clone.ts")).toContain("shared/errors.js");
    expect(violations(["shared/gitops/clone.ts"], IO).length).toBeGreaterThan(0);
    expect(violations(["app/index.ts"], [/^probot$/])).toEqual(["app/index.ts imports probot"]);
  });

  test("shared/ never imports app/, plugins/, actions/, tests, Probot or Octokit", () => {
    expect(violations(shared, EDGES)).toEqual([]);
  });

  test("only shared/gitops/ touches files, processes and git; no shared code reads process.env or argv", () => {
    const outsideGitops = shared.filter((file) => !file.startsWith("shared/gitops/"));
    expect(violations(outsideGitops, IO)).toEqual([]);
    expect(outsideGitops.filter(usesProcess)).toEqual([]);
  });

  test("unit tests beside shared/ code are pure: no files, processes, git or fixtures (those go under test/)", () => {
    const besideTests = shared.filter((file) => file.endsWith(".test.ts"));
    expect(violations(besideTests, [...IO, /^(node:)?(os|net|http|https)$/, /^nock$/])).toEqual([]);
    expect(besideTests.filter(usesProcess)).toEqual([]);
  });

  test("a test under test/ uses fixtures, servers, git or the edges; a unit test of pure shared/ code sits beside it", () => {
    const pureOnly = (spec: string) =>
      spec === "@jest/globals" || spec === "js-yaml" || spec === "zod" || /^shared\//.test(spec);
    const belongBeside = tsFiles("test")
      .filter((file) => file.endsWith(".test.ts"))
      .filter((file) => importsOf(file).every(pureOnly));
    expect(importsOf("shared/render/json6902.test.ts").every(pureOnly)).toBe(true); // what the check would catch
    expect(belongBeside).toEqual([]);
  });
});
