import { existsSync, readdirSync, readFileSync, rmSync, unlinkSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { repoRoot } from "./helpers/ciEnv.js";
import { bashSnippet, freshCopy, runSnippet } from "./helpers/snippets.js";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
const scripts = (
  JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;

test("the README opens with the install-and-run and install-and-test commands", () => {
  const firstBlock = /```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
  expect(firstBlock).toMatch(/^npm ci && npm run demo\b/m);
  expect(firstBlock).toMatch(/^npm ci && npm test\b/m);
});

test("every npm script the README and docs/ name exists, and every script file it runs is there", () => {
  const docs = readdirSync(join(repoRoot, "docs")).map((f) => readFileSync(join(repoRoot, "docs", f), "utf8"));
  const named = [...[readme, ...docs].join("\n").matchAll(/npm (?:run )?([a-z][\w:-]*)/g)]
    .map((m) => m[1] ?? "")
    .filter((name) => !["ci", "install", "run"].includes(name));
  expect(named.length).toBeGreaterThan(3);
  for (const name of new Set(named)) expect(["test", "start", ...Object.keys(scripts)]).toContain(name);
  for (const command of Object.values(scripts)) {
    for (const [, file] of command.matchAll(/(?:bash|node(?: --import tsx)?) ((?:scripts|bench|app|dist)\/[\w./-]+)/g))
      expect(existsSync(join(repoRoot, file ?? ""))).toBe(true);
  }
});

test("the README links only documents of this repository, and not ../shared/DESIGN.md", () => {
  expect(readme).not.toContain("../shared/DESIGN.md");
  for (const doc of ["README.md", ...readdirSync(join(repoRoot, "docs")).map((f) => `docs/${f}`)]) {
    const text = readFileSync(join(repoRoot, doc), "utf8");
    for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (!target || /^[a-z]+:/.test(target)) continue;
      expect([doc, target, existsSync(join(repoRoot, dirname(doc), target))]).toEqual([doc, target, true]);
    }
  }
  for (const doc of [
    "getting-started",
    "configuration",
    "commands",
    "ci",
    "operations",
    "api",
    "cluster",
    "trust",
    "limits",
    "performance",
  ])
    expect(readme).toContain(`(docs/${doc}.md)`);
});

describe("the documentation's snippets run, copy-pasted into one shell on a fresh clone", () => {
  let clone: string;
  beforeAll(() => {
    clone = freshCopy();
  });
  afterAll(() => {
    unlinkSync(join(clone, "node_modules")); // the link first: never this checkout's node_modules
    rmSync(clone, { recursive: true, force: true });
  });

  test("the README's quick start: lint, artifact, policy, a gitops deploy and its history", async () => {
    const { code, output } = await runSnippet(bashSnippet("README.md"), clone, {});
    expect([code, output]).toEqual([0, expect.stringContaining("ok  .gimlet/staging.yaml")]);
    expect(output).toMatch(/deploy\s+shop\s/);
    expect(output).toMatch(/deploy\s+shop-worker\s/);
  });

  test("docs/getting-started.md: local mode, ship, Flux, the next commit, rollback and the release log", async () => {
    const port = await freePort();
    const { code, output } = await runSnippet(bashSnippet("docs/getting-started.md"), clone, { PORT: String(port) });
    expect([code, output]).toEqual([0, expect.stringContaining("rolled back to")]);
    expect(output).toMatch(/ok {2}\.github\/gimlet\.yml {2}staging → acme\/gitops-staging@main:staging/);
    // the release log: the rollback pinned, the deploy it undid, the first deploy
    expect(output).toMatch(/rollback\s+shop\s.*pinned/);
    expect(output).toMatch(/deploy\s+shop\s.*rolled back/);
    expect(output).toMatch(/\[gimlet\] staging\/shop rollback to [0-9a-f]{7} by /);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
