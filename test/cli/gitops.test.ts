import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { loadCiEnv } from "../helpers/ciEnv.js";
import { exampleAppCopy, runGimlet } from "../helpers/cli.js";
import { createBareRepo, listTree, show, subjects, type TempRemote } from "../helpers/gitRepos.js";

const SHA1 = "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d";
const SHA2 = "1111111111111111111111111111111111111111";
let cwd: string;
let remote: TempRemote;
const env = { GIMLET_ACTOR: "alice" };
const gimlet = (...argv: string[]) => runGimlet(argv, { cwd, env });

async function artifact(file: string, sha: string, extra: string[] = []) {
  expect(
    (
      await gimlet(
        "artifact",
        "create",
        "--repository",
        "acme/shop",
        "--sha",
        sha,
        "--branch",
        "main",
        "-o",
        file,
        ...extra,
      )
    ).code,
  ).toBe(0);
  expect((await gimlet("artifact", "add", "-f", file)).code).toBe(0);
}

beforeEach(() => {
  cwd = exampleAppCopy();
  remote = createBareRepo();
});
afterEach(() => remote.cleanup());

describe("gimlet gitops", () => {
  test("deploy, deploy again (no commit), second release, rollback, history", async () => {
    await artifact("a1.json", SHA1);
    const first = await gimlet(
      "gitops",
      "deploy",
      "--repo",
      remote.bare,
      "--env",
      "staging",
      "--artifact",
      "a1.json",
      "-o",
      "json",
    );
    expect(first.code).toBe(0);
    const outcomes = JSON.parse(first.stdout);
    expect(outcomes.map((o: { app: string; decision: string }) => `${o.app}:${o.decision}`)).toEqual([
      "shop:committed",
      "shop-worker:committed",
    ]);
    expect(listTree(remote.bare, "main", "staging/shop")).toEqual([
      "configmap.yaml",
      "deployment.yaml",
      "ingress.yaml",
      "release.json",
      "service.yaml",
    ]);
    expect(show(remote.bare, "main", "staging/shop/deployment.yaml")).toContain(`ghcr.io/acme/shop:${SHA1}`);
    const release = JSON.parse(show(remote.bare, "main", "staging/shop/release.json") ?? "{}");
    expect(release).toMatchObject({
      app: "shop",
      env: "staging",
      triggeredBy: "alice",
      version: { sha: SHA1, branch: "main" },
    });

    const again = await gimlet(
      "gitops",
      "deploy",
      "--repo",
      remote.bare,
      "--env",
      "staging",
      "--artifact",
      "a1.json",
      "--app",
      "shop",
      "-o",
      "json",
    );
    expect(JSON.parse(again.stdout)[0].decision).toBe("unchanged");
    expect(subjects(remote.bare)).toHaveLength(3);

    await artifact("a2.json", SHA2);
    expect(
      (
        await gimlet(
          "gitops",
          "deploy",
          "--repo",
          remote.bare,
          "--env",
          "staging",
          "--artifact",
          "a2.json",
          "--app",
          "shop",
        )
      ).code,
    ).toBe(0);
    expect(show(remote.bare, "main", "staging/shop/deployment.yaml")).toContain(`ghcr.io/acme/shop:${SHA2}`);

    const rollback = await gimlet(
      "gitops",
      "rollback",
      "--repo",
      remote.bare,
      "--env",
      "staging",
      "--app",
      "shop",
      "-o",
      "json",
    );
    expect(rollback.code).toBe(0);
    expect(JSON.parse(rollback.stdout)).toMatchObject({ env: "staging", app: "shop", decision: "committed" });
    expect(show(remote.bare, "main", "staging/shop/deployment.yaml")).toContain(`ghcr.io/acme/shop:${SHA1}`);
    expect(JSON.parse(show(remote.bare, "main", "staging/shop/release.json") ?? "{}")).toMatchObject({ pinned: true });
    expect(subjects(remote.bare)[0]).toMatch(/^\[gimlet\] staging\/shop rollback to [0-9a-f]{7} by alice$/);

    const history = await gimlet(
      "gitops",
      "history",
      "--repo",
      remote.bare,
      "--env",
      "staging",
      "--app",
      "shop",
      "-o",
      "json",
    );
    const entries = JSON.parse(history.stdout);
    expect(
      entries.map((e: { type: string; rolledBack: boolean }) => `${e.type}${e.rolledBack ? " (rolled back)" : ""}`),
    ).toEqual(["rollback", "deploy (rolled back)", "deploy"]);
    expect(entries[1].version.sha).toBe(SHA2);
    const human = await gimlet("gitops", "history", "--repo", remote.bare, "--env", "staging");
    expect(human.stdout).toMatch(/^CREATED\s+TYPE\s+APP/);
    expect(human.stdout).toContain("shop-worker");
  });

  test("a locked env refuses deploys with exit 3 until unlocked (or --force)", async () => {
    await artifact("a1.json", SHA1);
    expect(
      (await gimlet("gitops", "lock", "--repo", remote.bare, "--env", "staging", "--reason", "release freeze")).code,
    ).toBe(0);
    expect(JSON.parse(show(remote.bare, "main", "staging/.gimlet/lock.json") ?? "{}")).toMatchObject({
      by: "alice",
      reason: "release freeze",
    });
    const refused = await gimlet(
      "gitops",
      "deploy",
      "--repo",
      remote.bare,
      "--env",
      "staging",
      "--artifact",
      "a1.json",
    );
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("environment staging is locked by alice: release freeze");
    expect(listTree(remote.bare, "main", "staging")).toEqual([".gimlet"]);
    expect(
      (await gimlet("gitops", "deploy", "--repo", remote.bare, "--env", "staging", "--artifact", "a1.json", "--force"))
        .code,
    ).toBe(0);
    expect((await gimlet("gitops", "unlock", "--repo", remote.bare, "--env", "staging")).code).toBe(0);
    expect(show(remote.bare, "main", "staging/.gimlet/lock.json")).toBeUndefined();
  });

  test("a PR artifact deploys the preview as <app>-pr-<N>", async () => {
    const { env: ci } = loadCiEnv("github-pr");
    expect((await runGimlet(["artifact", "create", "--from-env", "-o", "pr.json"], { cwd, env: ci })).code).toBe(0);
    await gimlet("artifact", "add", "-f", "pr.json");
    const result = await gimlet(
      "gitops",
      "deploy",
      "--repo",
      remote.bare,
      "--env",
      "staging",
      "--artifact",
      "pr.json",
      "--app",
      "shop-pr-42",
      "-o",
      "json",
    );
    expect(result.code).toBe(0);
    expect(show(remote.bare, "main", "staging/shop-pr-42/ingress.yaml")).toContain("host: shop-pr-42.preview.acme.dev");
  });

  test("path traversal in env, app or path is refused and the repo is untouched", async () => {
    await artifact("a1.json", SHA1);
    const before = subjects(remote.bare);
    const badEnv = await gimlet(
      "gitops",
      "deploy",
      "--repo",
      remote.bare,
      "--env",
      "../../etc",
      "--artifact",
      "a1.json",
    );
    expect(badEnv.code).toBe(2);
    const badPath = await gimlet(
      "gitops",
      "deploy",
      "--repo",
      remote.bare,
      "--env",
      "staging",
      "--path",
      "../x",
      "--artifact",
      "a1.json",
    );
    expect(badPath.code).toBe(2);
    const badRollback = await gimlet("gitops", "rollback", "--repo", remote.bare, "--env", "staging", "--app", "../x");
    expect(badRollback.code).toBe(2);
    expect(subjects(remote.bare)).toEqual(before);
  });

  test("usage errors name the flags", async () => {
    const result = await gimlet("gitops", "deploy", "--artifact", "a.json");
    expect(result).toMatchObject({ code: 2 });
    expect(result.stderr).toBe(
      "--repo: required: the gitops repository (URL or path)\n--env: required: the environment\n",
    );
    expect((await gimlet("gitops", "history", "--repo", remote.bare, "--env", "staging", "--limit", "x")).stderr).toBe(
      "--limit: must be a positive whole number\n",
    );
    expect(
      (
        await gimlet(
          "gitops",
          "rollback",
          "--repo",
          remote.bare,
          "--env",
          "staging",
          "--app",
          "shop",
          "--to",
          "deadbee",
        )
      ).code,
    ).toBe(2);
  });
});

describe("gimlet manifest template", () => {
  test("a YAML stream on stdout from an artifact", async () => {
    await artifact("a1.json", SHA1);
    const result = await gimlet("manifest", "template", "-f", ".gimlet/staging.yaml", "--artifact", "a1.json");
    expect(result.code).toBe(0);
    const kinds = [...result.stdout.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
    expect(kinds.sort()).toEqual(["ConfigMap", "Deployment", "Ingress", "Service"]);
    expect(result.stdout).toContain(`image: ghcr.io/acme/shop:${SHA1}`);
  });

  test("files into a folder from a dotenv file", async () => {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(cwd, "ci.env"), `SHA=${SHA2}\nREPO=acme/shop\n`);
    const result = await gimlet("manifest", "template", "-f", ".gimlet/staging.yaml", "--vars", "ci.env", "-o", "out");
    expect(result.code).toBe(0);
    expect(existsSync(join(cwd, "out", "shop", "deployment.yaml"))).toBe(true);
    expect(readFileSync(join(cwd, "out", "shop", "deployment.yaml"), "utf8")).toContain(SHA2);
  });

  test("a missing variable is exit 2 and names it", async () => {
    const result = await gimlet("manifest", "template", "-f", ".gimlet/production.yaml");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\.gimlet\/production\.yaml: values\.image\.tag: missing variable TAG/);
  });
});
