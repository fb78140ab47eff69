import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { load } from "js-yaml";
import { WEBHOOK_PATH } from "../app/register/manifestFlow.js";
import { gimletConfigJsonSchema } from "../shared/config/jsonSchema.js";
import { manifestJsonSchema } from "../shared/manifest/jsonSchema.js";
import { CONFIG_SCHEMA_URL, MANIFEST_SCHEMA_URL, SOURCE_REPOSITORY } from "../shared/schemaUrls.js";
import { repoRoot } from "./helpers/ciEnv.js";

const read = (path: string) => readFileSync(join(repoRoot, path), "utf8");
const pkg = JSON.parse(read("package.json")) as {
  engines: { node: string };
  repository: { url: string };
  scripts: Record<string, string>;
};
const modeline = (text: string) => /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)?.[1];

describe("schemas have a stable URL that every example uses", () => {
  test("the URL is the raw file in this repository (package.json repository)", () => {
    expect(pkg.repository.url).toBe(`git+https://github.com/${SOURCE_REPOSITORY}.git`);
    expect(MANIFEST_SCHEMA_URL).toBe(
      `https://raw.githubusercontent.com/${SOURCE_REPOSITORY}/main/schema/manifest.schema.json`,
    );
    expect(manifestJsonSchema().$id).toBe(MANIFEST_SCHEMA_URL);
    expect(gimletConfigJsonSchema().$id).toBe(CONFIG_SCHEMA_URL);
    // npm run schemas writes the files the URLs name
    expect(read("scripts/write-schemas.ts")).toContain('"manifest.schema.json": manifestJsonSchema');
    expect(read("scripts/write-schemas.ts")).toContain('"gimlet-config.schema.json": gimletConfigJsonSchema');
  });

  test("every example manifest and configuration names its schema by that URL", () => {
    const manifests = readdirSync(join(repoRoot, "examples/shop/.gimlet")).map((f) => `examples/shop/.gimlet/${f}`);
    expect(manifests.length).toBeGreaterThan(2);
    for (const file of manifests) expect([file, modeline(read(file))]).toEqual([file, MANIFEST_SCHEMA_URL]);
    for (const file of ["examples/shop/.github/gimlet.yml", "gimlet.local.yml"])
      expect([file, modeline(read(file))]).toEqual([file, CONFIG_SCHEMA_URL]);
  });
});

describe("Node versions agree", () => {
  const minimum = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(pkg.engines.node);

  test("engines, the Dockerfile and the README say the same", () => {
    expect(minimum).not.toBeNull();
    const major = Number(minimum?.[1]);
    expect(major).toBe(20); // development and tests run on Node 20 here
    const docker = Number(/^FROM node:(\d+)/m.exec(read("Dockerfile"))?.[1]);
    expect(docker).toBeGreaterThanOrEqual(major);
    expect(read("README.md")).toContain(`Node ${pkg.engines.node.slice(2)} or newer`);
  });

  test("no locked dependency asks for a newer Node than engines (npm ci would warn EBADENGINE)", () => {
    const lock = JSON.parse(read("package-lock.json")) as {
      packages: Record<string, { engines?: { node?: string } | string[] }>;
    };
    const ours = Number(minimum?.[1]);
    const tooNew = Object.entries(lock.packages).flatMap(([name, entry]) => {
      const node = !entry.engines || Array.isArray(entry.engines) ? undefined : entry.engines.node;
      const wants = node ? /^(?:>=|\^|>)\s*v?(\d+)/.exec(node.trim())?.[1] : undefined;
      return wants && Number(wants) > ours ? [`${name}: ${node}`] : [];
    });
    expect(tooNew).toEqual([]);
  });
});

describe("scripts say what they are", () => {
  test("each demo script names the npm script that runs it", () => {
    expect(pkg.scripts.demo).toBe("bash scripts/demo.sh");
    expect(pkg.scripts["demo:cli"]).toBe("bash scripts/demo-cli.sh");
    expect(read("scripts/demo.sh").split("\n")[1]).toMatch(/^# `npm run demo` \(the README's first command\)/);
    const cli = read("scripts/demo-cli.sh").split("\n")[1];
    expect(cli).toMatch(/^# `npm run demo:cli`/);
    expect(cli).not.toMatch(/first command/);
  });

  test("app.yml is valid YAML with the webhook path the server listens on", () => {
    const appYml = load(read("app.yml")) as { hook_attributes: { url: string }; default_events: string[] };
    expect(new URL(appYml.hook_attributes.url).pathname).toBe(WEBHOOK_PATH);
    expect(read("app.yml")).not.toMatch(/settings\/apps\/new|with `npm start` and no credentials/);
    expect(pkg.scripts.register).toBe("node --import tsx scripts/register-app.ts");
  });
});
