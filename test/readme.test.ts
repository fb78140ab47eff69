import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@jest/globals";
import { repoRoot } from "./helpers/ciEnv.js";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
const scripts = (
  JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;

test("the README opens with the install-and-run and install-and-test commands", () => {
  const firstBlock = /```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
  expect(firstBlock).toMatch(/^npm ci && npm run demo\b/m);
  expect(firstBlock).toMatch(/^npm ci && npm test\b/m);
});

test("every npm script the README names exists, and every script file it runs is there", () => {
  const named = [...readme.matchAll(/npm (?:run )?([a-z][\w:-]*)/g)]
    .map((m) => m[1])
    .filter((name) => !["ci", "install", "run"].includes(name!));
  expect(named.length).toBeGreaterThan(3);
  for (const name of new Set(named)) expect(["test", "start", ...Object.keys(scripts)]).toContain(name);
  for (const command of Object.values(scripts)) {
    for (const [, file] of command.matchAll(/(?:bash|node(?: --import tsx)?) ((?:scripts|bench|app|dist)\/[\w./-]+)/g))
      expect(existsSync(join(repoRoot, file!))).toBe(true);
  }
});
