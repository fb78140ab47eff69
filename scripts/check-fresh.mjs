#!/usr/bin/env node
// Fails when the committed dist/ bundles or schema/ files differ from what the sources build now.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full).map((f) => join(name, f)) : [name];
  });
}

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
  if (stale.length) console.error(`${label} is stale; run \`${fix}\` and commit:\n  ${stale.join("\n  ")}`);
  return stale.length === 0;
}

const tmp = mkdtempSync(join(tmpdir(), "gimlet-fresh-"));
try {
  execFileSync(process.execPath, ["scripts/build-dist.mjs", "--out", join(tmp, "dist")], { stdio: "inherit" });
  execFileSync(process.execPath, ["--import", "tsx", "scripts/write-schemas.ts", "--out", join(tmp, "schema")], {
    stdio: "inherit",
  });
  const distFresh = readdirSync(join(tmp, "dist")).every((name) =>
    compare(`dist/${name}`, join("dist", name), join(tmp, "dist", name), "npm run build"),
  );
  const schemaFresh = compare("schema/", "schema", join(tmp, "schema"), "npm run schemas");
  if (!distFresh || !schemaFresh) process.exit(1);
  console.log("dist/ and schema/ are fresh");
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
