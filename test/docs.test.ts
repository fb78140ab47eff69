import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@jest/globals";
import { load } from "js-yaml";
import { environmentConfigSchema, gimletConfigSchema } from "../shared/config/schema.js";
import { chartSchema, cleanupPolicySchema, deployPolicySchema, manifestSchema } from "../shared/manifest/schema.js";
import { onechartValuesSchema } from "../shared/render/onechart/values.js";
import { repoRoot } from "./helpers/ciEnv.js";

const configuration = readFileSync(join(repoRoot, "docs", "configuration.md"), "utf8");
const documented = (key: string) => configuration.includes(`\`${key}\``);

test("docs/configuration.md documents every key of .gimlet/*.yaml", () => {
  const keys = [
    ...Object.keys(manifestSchema.shape),
    ...Object.keys(deployPolicySchema.shape).map((k) => `deploy.${k}`),
    ...Object.keys(cleanupPolicySchema.shape).map((k) => `cleanup.${k}`),
    ...Object.keys(chartSchema.shape).map((k) => `chart.${k}`),
  ];
  expect(keys.length).toBeGreaterThan(20);
  expect(keys.filter((key) => !documented(key))).toEqual([]);
});

test("docs/configuration.md documents every key of .github/gimlet.yml, the env guards included", () => {
  const envKeys = new Set([
    ...Object.keys(environmentConfigSchema.shape),
    // DESIGN §7's guards, whichever branch brings their code
    "repositories",
    "branches",
    "namespaces",
    "clusterScoped",
  ]);
  const keys = [
    ...Object.keys(gimletConfigSchema.shape),
    ...[...envKeys].map((k) => `environments.<env>.${k}`),
    "artifacts.repository",
    "artifacts.branch",
  ];
  expect(keys.filter((key) => !documented(key))).toEqual([]);
});

test("docs/configuration.md names every onechart value the built-in renderer supports", () => {
  const keys = Object.keys(onechartValuesSchema.shape);
  expect(keys.length).toBeGreaterThan(20);
  expect(keys.filter((key) => !documented(key))).toEqual([]);
});

test("docs/operations.md lists app.yml's permissions and events, in the table and in the manual steps", () => {
  const operations = readFileSync(join(repoRoot, "docs", "operations.md"), "utf8");
  const appYml = load(readFileSync(join(repoRoot, "app.yml"), "utf8")) as {
    default_permissions: Record<string, string>;
    default_events: string[];
  };
  const title = (name: string) => name.charAt(0).toUpperCase() + name.slice(1).replace(/_/g, " ");
  for (const [permission, level] of Object.entries(appYml.default_permissions)) {
    expect(operations).toMatch(new RegExp(`\\| ${title(permission)}: ${level}\\s*\\|`));
    expect(operations).toMatch(new RegExp(`\\*\\*${title(permission)}\\*\\* (read and write|read-only)`));
  }
  for (const event of appYml.default_events) expect(operations).toContain(`\`${event}\``);
  expect(operations).toContain("/api/github/webhooks");
});
