import { describe, expect, test } from "@jest/globals";
import { matchesGlob } from "./glob.js";

describe("globs", () => {
  test.each([
    ["main", "main", true],
    ["main", "main2", false],
    ["*", "feature/login", true],
    ["feature/*", "feature/a/b", true],
    ["release-*", "release-1.2", true],
    ["release-?", "release-1", true],
    ["release-?", "release-12", false],
    ["v[0-9]*", "v1.0", true],
    ["v[0-9]*", "vx", false],
    ["v[!0-9]*", "vx", true],
    ["v[!0-9]*", "v1", false],
    ["{main,master}", "master", true],
    ["{main,master}", "develop", false],
    ["{feat,fix}/*", "fix/crash", true],
    ["!main", "main", false],
    ["!main", "feature/x", true],
    ["!v1*", "v1.4.0", false],
    ["!v1*", "v2.0.0", true],
    ["a.b", "axb", false],
    ["a+b", "a+b", true],
    ["(x)", "(x)", true],
    ["\\*", "*", true],
    ["\\*", "x", false],
    ["[abc", "[abc", true],
    ["{a,b", "{a,b", true],
  ])("%s ~ %s → %s", (pattern, text, expected) => {
    expect(matchesGlob(pattern, text)).toBe(expected);
  });

  test("literal brackets for commit messages", () => {
    expect(matchesGlob("*[deploy]*", "fix: thing [deploy]", { literalBrackets: true })).toBe(true);
    expect(matchesGlob("*[deploy]*", "fix: thing d", { literalBrackets: true })).toBe(false);
    expect(matchesGlob("*[deploy]*", "fix: thing d")).toBe(true);
  });

  test("* crosses newlines in multi-line messages", () => {
    expect(matchesGlob("*[ship]*", "title\n\nbody [ship]\n", { literalBrackets: true })).toBe(true);
  });
});
