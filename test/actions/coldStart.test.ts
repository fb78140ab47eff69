import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { loadCiEnv, repoRoot } from "../helpers/ciEnv.js";
import { exampleAppCopy } from "../helpers/cli.js";
import { tempDir } from "../helpers/gitRepos.js";

// What the Action's start is made of, without timing it (bench/action.bench.ts times it): a valid dry run must not
// load zod, the full @actions/core, node:crypto or Node's ESM loader (docs/performance.md, "The Action's start").
const bundleDir = join(repoRoot, "dist", "deploy");

/** Run the built Action as the runner does, and list the files and Node built-ins it loaded. */
function loaded(inputs: Record<string, string>): {
  code: number | null;
  stdout: string;
  files: string[];
  builtins: string[];
} {
  const dir = tempDir("gimlet-cold-start-");
  const preload = join(dir, "preload.cjs");
  const report = join(dir, "loaded.json");
  writeFileSync(
    preload,
    `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(report)}, JSON.stringify({
      files: Object.keys(require.cache),
      builtins: process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13)),
    })));`,
  );
  writeFileSync(join(dir, "output"), "");
  const { env } = loadCiEnv("github-push");
  const run = spawnSync(process.execPath, ["-r", preload, join(bundleDir, "index.js")], {
    cwd: exampleAppCopy(),
    env: { PATH: process.env.PATH ?? "", ...env, GITHUB_OUTPUT: join(dir, "output"), ...inputs },
    encoding: "utf8",
  });
  const { files, builtins } = JSON.parse(readFileSync(report, "utf8")) as { files: string[]; builtins: string[] };
  return { code: run.status, stdout: run.stdout, files: files.filter((f) => f !== preload), builtins };
}

describe("the Action's cold start, by what it loads", () => {
  test("a valid dry run loads the bundle alone: no zod, no full @actions/core, no node:crypto, no ESM loader", () => {
    const run = loaded({ "INPUT_DRY-RUN": "true" });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"repositoryName": "acme/shop"');
    expect(run.files).toEqual([join(bundleDir, "index.js")]);
    expect(run.builtins).not.toContain("crypto");
    expect(run.builtins).not.toContain("internal/modules/esm/translators");
  });

  test("an invalid input loads zod's chunk, which writes the message", () => {
    const run = loaded({ "INPUT_DRY-RUN": "true", INPUT_TIMEOUT: "soon" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("::error::input timeout: must be a positive whole number of seconds");
    expect(run.files).toEqual([join(bundleDir, "index.js"), join(bundleDir, "zod.cjs")]);
  });
});
