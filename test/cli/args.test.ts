import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, test } from "@jest/globals";
import { invocationDir } from "../../plugins/cli/runner.js";
import { exampleAppCopy, runGimlet } from "../helpers/cli.js";

const SHA = "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d";
let cwd: string;
beforeEach(() => {
  cwd = exampleAppCopy();
});
const gimlet = (...argv: string[]) => runGimlet(argv, { cwd });

describe("arguments in the CLI's own words", () => {
  test("an unknown option names it, with the command's usage, exit 2", async () => {
    const result = await gimlet("manifest", "lint", "--fiel", ".gimlet/staging.yaml");
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "--fiel: unknown option (did you mean --file?)\n" +
        "Usage: gimlet manifest lint -f FILE... [--config .github/gimlet.yml [--vars DOTENV]] [-o json]\n" +
        "Run 'gimlet manifest lint --help' for every option.\n",
    );
    expect(result.stderr).not.toMatch(/parseArgs|positional argument|ERR_/);
  });

  test("a missing value, a switch given a value, a stray argument", async () => {
    const result = await gimlet("policy", "check", "extra", "--artifact");
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n").slice(0, 2)).toEqual([
      "--artifact: needs a value (FILE)",
      "unexpected argument: extra (options take the form --name VALUE)",
    ]);
    const wait = await gimlet("artifact", "push", "-f", "a.json", "--wait=yes");
    expect(wait.stderr).toMatch(/^--wait: is a switch and takes no value\nUsage: gimlet artifact push/);
  });

  test("an option that takes one value, given twice, is refused instead of keeping the last", async () => {
    const result = await gimlet("policy", "check", "--artifact", "a.json", "--artifact", "b.json");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^--artifact: given more than once; this command takes one\n/);
  });

  test("--help still answers on a line with a mistake", async () => {
    const result = await gimlet("policy", "check", "--nope", "--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: gimlet policy check/);
  });

  test("gitops history --help describes --branch as the branch it reads", async () => {
    const help = await gimlet("gitops", "history", "--help");
    expect(help.stdout).toMatch(/--branch BRANCH\s+the gitops branch \(default main\)/);
    expect(help.stdout).not.toMatch(/branch to write/);
  });
});

describe("manifest template with several files", () => {
  test("-f a -f b renders both, in order", async () => {
    writeFileSync(join(cwd, "ci.env"), `SHA=${SHA}\nTAG=v1.2.3\nREPO=acme/shop\n`);
    const result = await gimlet(
      "manifest",
      "template",
      "-f",
      ".gimlet/staging.yaml",
      "-f",
      ".gimlet/production.yaml",
      "--vars",
      "ci.env",
      "-o",
      "json",
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const objects = JSON.parse(result.stdout) as Array<{ kind: string; metadata: { namespace?: string } }>;
    const deployments = objects.filter((o) => o.kind === "Deployment").map((o) => o.metadata.namespace);
    expect(deployments).toEqual(["shop", "shop"]);
    const envs = objects.map((o) => (o.metadata as { labels?: Record<string, string> }).labels?.["gimlet.io/env"]);
    expect(new Set(envs)).toEqual(new Set(["staging", "production"]));
  });
});

describe("policy check --env", () => {
  test("an unknown env is a usage error listing the artifact's envs", async () => {
    expect(
      (
        await gimlet(
          "artifact",
          "create",
          "--repository",
          "acme/shop",
          "--sha",
          SHA,
          "--branch",
          "main",
          "-o",
          "a.json",
        )
      ).code,
    ).toBe(0);
    expect((await gimlet("artifact", "add", "-f", "a.json")).code).toBe(0);
    const result = await gimlet("policy", "check", "--artifact", "a.json", "--env", "prod");
    expect(result).toMatchObject({
      code: 2,
      stdout: "",
      stderr: "--env: unknown environment prod; the artifact's manifests name: staging, production\n",
    });
    expect((await gimlet("policy", "check", "--artifact", "a.json", "--env", "staging")).code).toBe(0);
  });
});

describe("items are template variables by their name", () => {
  test("--item image=… makes {{ .image }}, and several items each keep theirs", async () => {
    writeFileSync(
      join(cwd, ".gimlet", "staging.yaml"),
      readFileSync(join(cwd, ".gimlet", "staging.yaml"), "utf8").replace(
        /repository: ghcr\.io\/acme\/shop\n(\s+)tag: .*\n/,
        'repository: "{{ .image }}"\n$1tag: "{{ .bundle }}"\n',
      ),
    );
    expect(
      (
        await gimlet(
          "artifact",
          "create",
          "--repository",
          "acme/shop",
          "--sha",
          SHA,
          "--branch",
          "main",
          "-o",
          "a.json",
        )
      ).code,
    ).toBe(0);
    const added = await gimlet(
      "artifact",
      "add",
      "-f",
      "a.json",
      "--item",
      "image=ghcr.io/acme/shop",
      "--item",
      "bundle=b-123",
    );
    expect(added.code).toBe(0);
    const rendered = await gimlet("manifest", "template", "-f", ".gimlet/staging.yaml", "--artifact", "a.json");
    expect(rendered.stderr).toBe("");
    expect(rendered.stdout).toContain("image: ghcr.io/acme/shop:b-123");
  });
});

describe("npm run gimlet from an app folder", () => {
  test("relative paths are read from where npm was invoked (INIT_CWD), not the package root", () => {
    expect(invocationDir({ npm_lifecycle_event: "gimlet", INIT_CWD: "/src/app" }, "/src/gimlet")).toBe("/src/app");
    // only for the gimlet script: the bundle run directly, or another script, keeps its own directory
    expect(invocationDir({ INIT_CWD: "/src/app" }, "/src/gimlet")).toBe("/src/gimlet");
    expect(invocationDir({ npm_lifecycle_event: "demo", INIT_CWD: "/src/app" }, "/x")).toBe("/x");
  });
});
