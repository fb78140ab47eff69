import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeEach, describe, expect, test } from "@jest/globals";
import { repoRoot } from "./helpers/ciEnv.js";
import { git, tempDir } from "./helpers/gitRepos.js";

/** A copy of the working tree (tracked and new files; node_modules linked), where the freshness check runs as `npm test` runs it. */
function checkout(): string {
  const dir = tempDir("gimlet-fresh-check-");
  for (const file of git(repoRoot, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
    .split("\0")
    .filter(Boolean)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(dir, file));
  }
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  return dir;
}

function checkFresh(dir: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, ["scripts/check-fresh.mjs"], { cwd: dir, encoding: "utf8" });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe("npm test fails when dist/ is stale (scripts/check-fresh.mjs over each bundle's inputs.json)", () => {
  let dir: string;
  beforeEach(() => {
    dir = checkout();
  });

  test("the committed tree is fresh; every bundle names its project sources and the lockfile", () => {
    const run = checkFresh(dir);
    expect(run.output).toContain("dist/ and schema/ are fresh");
    expect(run.status).toBe(0);
    const inputs = JSON.parse(readFileSync(join(dir, "dist/deploy/inputs.json"), "utf8")) as {
      sources: Record<string, string>;
      outputs: Record<string, string>;
    };
    expect(Object.keys(inputs.sources)).toEqual(
      expect.arrayContaining(["actions/deploy/run.ts", "shared/errors.ts", "package-lock.json", "tsconfig.json"]),
    );
    expect(Object.keys(inputs.sources).some((f) => f.includes("node_modules"))).toBe(false);
    expect(Object.keys(inputs.outputs)).toContain("index.js");
  });

  test("a source changed without a rebuild names the bundles it is in and the file", () => {
    appendFileSync(join(dir, "shared/errors.ts"), "\n// edited\n");
    const run = checkFresh(dir);
    expect(run.status).toBe(1);
    for (const bundle of ["cli", "app", "deploy"])
      expect(run.output).toMatch(new RegExp(`dist/${bundle} is stale; run \`npm run build -- ${bundle}\``));
    expect(run.output).toContain("shared/errors.ts changed");
  });

  test("a hand-edited bundle, a file the build did not write, or a missing inputs.json is stale", () => {
    appendFileSync(join(dir, "dist/cli/index.js"), "\n");
    writeFileSync(join(dir, "dist/deploy/extra.js"), "");
    writeFileSync(join(dir, "dist/agent/inputs.json"), "{}");
    const run = checkFresh(dir);
    expect(run.status).toBe(1);
    expect(run.output).toContain("dist/cli/index.js was edited after the build");
    expect(run.output).toContain("dist/deploy/extra.js was not written by the build");
    expect(run.output).toMatch(/dist\/agent\/index\.js was not written by the build/);
  });
});
