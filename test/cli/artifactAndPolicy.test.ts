import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, test } from "@jest/globals";
import { loadCiEnv } from "../helpers/ciEnv.js";
import { exampleAppCopy, runGimlet, spawnGimlet } from "../helpers/cli.js";

const SHA = "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d";
let cwd: string;
beforeEach(() => {
  cwd = exampleAppCopy();
});

const create = (args: string[], env?: Record<string, string>) =>
  runGimlet(["artifact", "create", ...args], { cwd, env });

describe("gimlet artifact create / add, policy check", () => {
  test("create from flags, add manifests, check the policy", async () => {
    expect(
      (
        await create([
          "--repository",
          "acme/shop",
          "--sha",
          SHA,
          "--branch",
          "main",
          "-m",
          "Cache images",
          "-o",
          "a.json",
        ])
      ).code,
    ).toBe(0);
    const added = await runGimlet(
      [
        "artifact",
        "add",
        "-f",
        "a.json",
        "--var",
        "IMAGE_TAG=abc",
        "--item",
        "image=ghcr.io/acme/shop:abc",
        "-o",
        "json",
      ],
      { cwd },
    );
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      vars: 1,
      items: 1,
      environments: ["staging/shop (preview)", "production/shop", "staging/shop", "staging/shop-worker"],
    });
    const artifact = JSON.parse(readFileSync(join(cwd, "a.json"), "utf8"));
    expect(artifact.vars).toEqual({ IMAGE_TAG: "abc" });
    expect(artifact.environments).toHaveLength(4);

    const check = await runGimlet(["policy", "check", "--artifact", "a.json", "-o", "json"], { cwd });
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toEqual([
      {
        env: "staging",
        app: "shop",
        deploy: false,
        outcome: "skipped",
        reasonCode: "preview_needs_pr",
        reason: expect.any(String),
        preview: true,
      },
      {
        env: "production",
        app: "shop",
        deploy: false,
        outcome: "skipped",
        reasonCode: "event_mismatch",
        reason: "the policy deploys on tag events, not on a push to main",
      },
      {
        env: "staging",
        app: "shop",
        deploy: true,
        outcome: "queued",
        reasonCode: "matched",
        reason: "push to main matches the deploy policy",
      },
      {
        env: "staging",
        app: "shop-worker",
        deploy: true,
        outcome: "queued",
        reasonCode: "matched",
        reason: "push to main matches the deploy policy",
      },
    ]);
    const human = await runGimlet(["policy", "check", "--artifact", "a.json"], { cwd });
    expect(human.stdout).toMatch(/^ENV\s+APP\s+DEPLOY\s+REASON/);
    expect(human.stdout).toContain("shop (preview)");
  });

  test("adding twice does not duplicate environments", async () => {
    await create(["--repository", "acme/shop", "--sha", SHA, "--branch", "main", "-o", "a.json"]);
    await runGimlet(["artifact", "add", "-f", "a.json"], { cwd });
    await runGimlet(["artifact", "add", "-f", "a.json"], { cwd });
    expect(JSON.parse(readFileSync(join(cwd, "a.json"), "utf8")).environments).toHaveLength(4);
  });

  test("a tag artifact releases production only; exit 3 when nothing deploys", async () => {
    await create(["--repository", "acme/shop", "--sha", SHA, "--event", "tag", "--tag", "v1.4.0", "-o", "t.json"]);
    await runGimlet(["artifact", "add", "-f", "t.json"], { cwd });
    const prod = await runGimlet(["policy", "check", "--artifact", "t.json", "--env", "production", "-o", "json"], {
      cwd,
    });
    expect(prod.code).toBe(0);
    expect(JSON.parse(prod.stdout)).toEqual([expect.objectContaining({ env: "production", deploy: true })]);
    const staging = await runGimlet(["policy", "check", "--artifact", "t.json", "--env", "staging"], { cwd });
    expect(staging.code).toBe(3);
  });

  test("a PR artifact from GitHub Actions deploys the preview as shop-pr-42", async () => {
    const { env } = loadCiEnv("github-pr");
    expect((await create(["--from-env", "-o", "pr.json"], env)).code).toBe(0);
    await runGimlet(["artifact", "add", "-f", "pr.json"], { cwd });
    const check = await runGimlet(["policy", "check", "--artifact", "pr.json", "-o", "json"], { cwd });
    expect(JSON.parse(check.stdout)).toEqual(
      expect.arrayContaining([
        {
          env: "staging",
          app: "shop-pr-42",
          deploy: true,
          outcome: "queued",
          reasonCode: "matched",
          reason: expect.any(String),
          preview: true,
        },
      ]),
    );
    const text = readFileSync(join(cwd, "pr.json"), "utf8");
    expect(text).not.toContain("ghs_");
    expect(text).not.toContain("hunter2");
  });

  test.each(["github-push", "circleci-branch", "gitlab-branch"])("--from-env on %s", async (name) => {
    const { env } = loadCiEnv(name);
    const result = await create(["--from-env"], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).version).toMatchObject({
      repositoryName: "acme/shop",
      sha: SHA,
      branch: "main",
      event: "push",
    });
  });
});

describe("bad input: clear errors, exit code 2", () => {
  test("an unknown event names the field", async () => {
    const result = await create(["--repository", "acme/shop", "--sha", SHA, "--event", "deploy"]);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toBe("version.event: must be one of push, tag, pr\n");
  });

  test("broken JSON", async () => {
    writeFileSync(join(cwd, "broken.json"), '{"version": {');
    const result = await runGimlet(["policy", "check", "--artifact", "broken.json"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^broken\.json: not valid JSON/);
  });

  test("a 2 MiB artifact is refused before it is read", async () => {
    writeFileSync(
      join(cwd, "big.json"),
      JSON.stringify({
        version: { repositoryName: "acme/shop", sha: SHA, branch: "main" },
        vars: { X: "x".repeat(2 * 1024 * 1024) },
      }),
    );
    const result = await runGimlet(["artifact", "add", "-f", "big.json"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("big.json: file is 2.0 MiB; the limit is 1.0 MiB\n");
  });

  test("an unknown manifest key, an unquoted !main and * are reported with file and line", async () => {
    writeFileSync(join(cwd, ".gimlet", "staging.yaml"), "app: shop\nenv: staging\nreplicas: 2\n");
    writeFileSync(join(cwd, ".gimlet", "tag.yaml"), "app: shop\nenv: production\ndeploy:\n  event: tag\n  tag: !v1\n");
    writeFileSync(join(cwd, ".gimlet", "star.yaml"), "app: shop\nenv: dev\ndeploy:\n  event: push\n  branch: *\n");
    const result = await runGimlet(
      ["manifest", "lint", ".gimlet/staging.yaml", ".gimlet/tag.yaml", ".gimlet/star.yaml"],
      { cwd },
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([
      ".gimlet/staging.yaml: replicas: unknown key",
      '.gimlet/tag.yaml:5:8: !v1 is read by YAML as a tag, not as text; quote the value: write tag: "!v1"',
      '.gimlet/star.yaml:5:11: * is read by YAML as an alias, not as text; quote the value: write branch: "*"',
    ]);
  });

  test("a YAML bomb inside values fails fast with exit 2", async () => {
    let yaml = "app: shop\nenv: staging\nvalues:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (let i = 1; i < 9; i++)
      yaml += `  a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(", ")}]\n`;
    writeFileSync(join(cwd, ".gimlet", "staging.yaml"), yaml);
    const started = Date.now();
    const result = await runGimlet(["manifest", "lint", "-f", ".gimlet/staging.yaml"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/alias/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("a missing template variable names the variable", async () => {
    writeFileSync(
      join(cwd, ".gimlet", "branch.yaml"),
      "app: 'shop-{{ .TICKET }}'\nenv: dev\ndeploy:\n  event: push\n  branch: '*'\n",
    );
    await create(["--repository", "acme/shop", "--sha", SHA, "--branch", "main", "-o", "a.json"]);
    await runGimlet(["artifact", "add", "-f", "a.json"], { cwd });
    const result = await runGimlet(["policy", "check", "--artifact", "a.json"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/TICKET/);
  });

  test("usage errors", async () => {
    expect((await create(["--bogus"])).code).toBe(2);
    expect((await runGimlet(["policy", "check"], { cwd })).stderr).toBe("--artifact: required: the artifact file\n");
    expect((await runGimlet(["nope"], { cwd })).code).toBe(2);
    expect((await runGimlet(["artifact", "add", "-f", "a.json", "--var", "novalue"], { cwd })).code).toBe(2);
    const badTimeout = await runGimlet(
      ["release", "track", "abc", "--server", "http://127.0.0.1:9", "--token", "gmlt_x", "--wait", "--timeout", "soon"],
      { cwd },
    );
    expect(badTimeout).toMatchObject({ code: 2, stderr: "--timeout: must be a positive whole number of seconds\n" });
    expect((await runGimlet(["artifact", "push", "-f", "a.json"], { cwd })).stderr).toBe(
      "--server: required: the Gimlet server URL (or set GIMLET_SERVER)\n--token: required: an API token (or set GIMLET_TOKEN)\n",
    );
  });
});

describe("help", () => {
  test.each([
    ["artifact", "create"],
    ["artifact", "add"],
    ["manifest", "lint"],
    ["policy", "check"],
  ])("%s %s --help", async (...path) => {
    const result = await runGimlet([...path, "--help"], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: gimlet ${path.join(" ")}`));
    expect(result.stdout).toContain("Exit codes:");
  });

  test("top-level and group help list the commands", async () => {
    expect((await runGimlet(["--help"], { cwd })).stdout).toContain("policy check");
    expect((await runGimlet(["artifact", "--help"], { cwd })).stdout).toContain("artifact create");
  });
});

describe("the committed bundle", () => {
  test("runs as a process with the same exit codes", () => {
    const ok = spawnGimlet(
      ["artifact", "create", "--repository", "acme/shop", "--sha", SHA, "--branch", "main", "-o", "a.json"],
      { cwd },
    );
    expect(ok.code).toBe(0);
    expect(spawnGimlet(["artifact", "add", "-f", "a.json"], { cwd }).code).toBe(0);
    expect(spawnGimlet(["policy", "check", "--artifact", "a.json", "--env", "production"], { cwd }).code).toBe(3);
    const bad = spawnGimlet(["manifest", "lint", "-f", "missing.yaml"], { cwd });
    expect(bad).toMatchObject({ code: 2, stderr: "missing.yaml: no such file\n" });
    expect(spawnGimlet(["--help"], { cwd }).code).toBe(0);
  });
});
