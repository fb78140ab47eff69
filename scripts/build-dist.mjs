#!/usr/bin/env node
// Build the committed bundles: `node scripts/build-dist.mjs [cli] [--out DIR]`. The default output is dist/.
// Each bundle gets `inputs.json`: the sha256 of every project file webpack put in it (from ncc's stats), of the
// lockfile, tsconfig.json and this script, and of every file the build wrote. scripts/check-fresh.mjs compares those
// hashes with the tree in a second instead of building again.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { buildAction } from "./build-action.mjs";

export const bundles = {
  cli: "plugins/cli/run.ts",
  app: "app/run.ts",
  agent: "plugins/flux-agent/run.ts",
  deploy: "actions/deploy/run.ts",
};
/**
 * Minified: the CLI starts in every CI job, and a smaller bundle parses faster (bench/action.bench.ts: about 10 ms).
 * ncc minifies the entry file only; lazily loaded chunks stay as built. (The Action's build minifies its own.)
 */
const minified = new Set(["cli"]);
/** Files every bundle depends on besides its modules: pinned dependencies, compiler settings, the build itself. */
export const BUILD_INPUTS = [
  "package-lock.json",
  "tsconfig.json",
  "scripts/build-dist.mjs",
  "scripts/build-action.mjs",
];
export const INPUTS_FILE = "inputs.json";

export const sha256 = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** Files under `dir`, relative to it, sorted; `inputs.json` left out. */
export function outputFiles(dir) {
  const walk = (at) =>
    readdirSync(at).flatMap((name) => {
      const full = join(at, name);
      return statSync(full).isDirectory() ? walk(full) : [relative(dir, full).split(sep).join("/")];
    });
  return walk(dir)
    .filter((f) => f !== INPUTS_FILE)
    .sort();
}

/** The project's own files among the modules of ncc's webpack stats (dependencies are pinned by the lockfile). */
function projectModules(statsFile, root) {
  const stats = JSON.parse(readFileSync(statsFile, "utf8"));
  const found = new Set();
  const walk = (module) => {
    const file = module.nameForCondition;
    if (file?.startsWith(root + sep) && !file.includes(`${sep}node_modules${sep}`)) found.add(file);
    for (const inner of module.modules ?? []) walk(inner);
  };
  for (const module of stats.modules ?? []) walk(module);
  return [...found].map((f) => relative(root, f).split(sep).join("/")).sort();
}

/** ncc's build of one bundle; the project files in it, from its webpack stats. */
function buildWithNcc(name, entry, out) {
  const scratch = mkdtempSync(join(tmpdir(), "gimlet-build-"));
  try {
    const stats = join(scratch, "stats.json");
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
        "--stats-out",
        stats,
        ...(minified.has(name) ? ["--minify"] : []),
      ],
      { stdio: "inherit" },
    );
    return projectModules(stats, process.cwd());
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function build(name, entry, out) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const modules = name === "deploy" ? await buildAction(entry, out) : buildWithNcc(name, entry, out);
  const sources = [...new Set([...modules, ...BUILD_INPUTS])].sort();
  const inputs = {
    bundle: name,
    entry,
    sources: Object.fromEntries(sources.map((file) => [file, sha256(file)])),
    outputs: Object.fromEntries(outputFiles(out).map((file) => [file, sha256(join(out, file))])),
  };
  writeFileSync(join(out, INPUTS_FILE), `${JSON.stringify(inputs, null, 2)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
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
    await build(name, entry, join(outRoot, name));
  }
}
