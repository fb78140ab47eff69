#!/usr/bin/env node
// Build the committed bundles: `node scripts/build-dist.mjs [cli] [--out DIR]`. The default output is dist/.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

export const bundles = {
  cli: "plugins/cli/run.ts",
  app: "app/run.ts",
  agent: "plugins/flux-agent/run.ts",
  deploy: "actions/deploy/run.ts",
};
/**
 * Minified: the Action starts on every workflow run and the CLI in every CI job, and a smaller bundle parses faster
 * (bench/action.bench.ts: about 10 ms each). ncc minifies the entry file only; lazily loaded chunks stay as built.
 */
const minified = new Set(["deploy", "cli"]);

const args = process.argv.slice(2);
const outIndex = args.indexOf("--out");
const outRoot = resolve(outIndex >= 0 ? args[outIndex + 1] : "dist");
const names = args.filter((a, i) => !a.startsWith("--") && (outIndex < 0 || i !== outIndex + 1));
const selected = names.length ? names : Object.keys(bundles);

for (const name of selected) {
  const entry = bundles[name];
  if (!entry) {
    console.error(`unknown bundle ${name}; known: ${Object.keys(bundles).join(", ")}`);
    process.exit(2);
  }
  const out = join(outRoot, name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  execFileSync(
    process.execPath,
    [
      "node_modules/@vercel/ncc/dist/ncc/cli.js",
      "build",
      entry,
      "-o",
      out,
      "--quiet",
      "--target",
      "es2022",
      "--license",
      "licenses.txt",
      ...(minified.has(name) ? ["--minify"] : []),
    ],
    { stdio: "inherit" },
  );
}
