#!/usr/bin/env node
// Fails when the committed dist/ bundles or schema/ files are not what the sources build now.
// dist/: each bundle's inputs.json (written by scripts/build-dist.mjs) names the sha256 of every project file in the
// bundle, of the lockfile, tsconfig.json and the build script, and of every file the build wrote; a changed source or a
// hand-edited bundle is stale. That takes a second where building all four bundles again takes a minute of both cores.
// `--rebuild` builds them again into a temporary folder and compares byte for byte (the build is deterministic).
// schema/: always written again and compared (it is quick).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { bundles, INPUTS_FILE, outputFiles, sha256 } from "./build-dist.mjs";

const files = (dir) => (existsSync(dir) ? outputFiles(dir) : []);

function compare(label, committed, fresh, fix) {
  const stale = [];
  const all = new Set([...files(committed), ...files(fresh)]);
  for (const file of all) {
    const a = join(committed, file);
    const b = join(fresh, file);
    if (!existsSync(a)) stale.push(`${relative(".", a)} is missing`);
    else if (!existsSync(b)) stale.push(`${relative(".", a)} is not built any more`);
    else if (!readFileSync(a).equals(readFileSync(b))) stale.push(`${relative(".", a)} differs`);
  }
  return report(label, stale, fix);
}

function report(label, stale, fix) {
  if (stale.length) console.error(`${label} is stale; run \`${fix}\` and commit:\n  ${stale.join("\n  ")}`);
  return stale.length === 0;
}

/** What changed since the bundle in `dir` was built, from its inputs.json. */
function staleInputs(name, dir) {
  const manifest = join(dir, INPUTS_FILE);
  if (!existsSync(manifest)) return [`${relative(".", manifest)} is missing`];
  const recorded = JSON.parse(readFileSync(manifest, "utf8"));
  const stale = [];
  if (recorded.entry !== bundles[name]) stale.push(`the entry is ${bundles[name]} now, not ${recorded.entry}`);
  for (const [file, hash] of Object.entries(recorded.sources ?? {})) {
    if (!existsSync(file)) stale.push(`${file} is gone`);
    else if (sha256(file) !== hash) stale.push(`${file} changed`);
  }
  const outputs = recorded.outputs ?? {};
  for (const file of new Set([...Object.keys(outputs), ...files(dir)])) {
    const path = join(dir, file);
    if (!existsSync(path)) stale.push(`${relative(".", path)} is missing`);
    else if (!(file in outputs)) stale.push(`${relative(".", path)} was not written by the build`);
    else if (sha256(path) !== outputs[file]) stale.push(`${relative(".", path)} was edited after the build`);
  }
  return stale;
}

const rebuild = process.argv.includes("--rebuild");
const tmp = mkdtempSync(join(tmpdir(), "gimlet-fresh-"));
try {
  let distFresh = true;
  if (rebuild) {
    execFileSync(process.execPath, ["scripts/build-dist.mjs", "--out", join(tmp, "dist")], { stdio: "inherit" });
    for (const name of readdirSync(join(tmp, "dist")))
      distFresh = compare(`dist/${name}`, join("dist", name), join(tmp, "dist", name), "npm run build") && distFresh;
  } else {
    for (const name of Object.keys(bundles))
      distFresh =
        report(`dist/${name}`, staleInputs(name, join("dist", name)), `npm run build -- ${name}`) && distFresh;
    const unknown = files("dist")
      .map((f) => f.split("/")[0])
      .filter((top) => !(top in bundles));
    distFresh =
      report(
        "dist/",
        [...new Set(unknown)].map((top) => `dist/${top} is no bundle`),
        "npm run build",
      ) && distFresh;
  }
  execFileSync(process.execPath, ["--import", "tsx", "scripts/write-schemas.ts", "--out", join(tmp, "schema")], {
    stdio: "inherit",
  });
  const schemaFresh = compare("schema/", "schema", join(tmp, "schema"), "npm run schemas");
  if (!distFresh || !schemaFresh) process.exit(1);
  console.log(
    `dist/ and schema/ are fresh${rebuild ? " (rebuilt and compared)" : " (by the hashes in dist/*/inputs.json)"}`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
