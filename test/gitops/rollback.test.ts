import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { ConfigError } from "../../shared/errors.js";
import { type DeployRequest, GitopsWriter } from "../../shared/gitops/index.js";
import { cloneRepo, createBareRepo, git, listTree, show, subjects, type TempRemote } from "../helpers/gitRepos.js";

function deployOf(remote: TempRemote, app: string, sha: string, names: string[]): DeployRequest {
  return {
    repo: remote.bare,
    env: "staging",
    app,
    files: names.map((n) => ({ path: n, content: `# ${app} ${sha}\nkind: ${n}\n` })),
    release: { artifactId: `${app}-${sha}`, triggeredBy: "ci", version: { sha: sha.padEnd(40, "0") } },
  };
}

describe("gitops writer: rollback", () => {
  let remote: TempRemote;
  let writer: GitopsWriter;
  let v1: string;
  let v2: string;
  let apiDeploy: string;
  beforeAll(async () => {
    remote = createBareRepo();
    writer = new GitopsWriter({ workDir: join(remote.root, "work") });
    v1 = (await writer.deploy(deployOf(remote, "web", "1111111", ["deployment.yaml", "service.yaml", "ingress.yaml"])))
      .gitopsSha;
    apiDeploy = (await writer.deploy(deployOf(remote, "api", "aaaaaaa", ["deployment.yaml"]))).gitopsSha;
    v2 = (await writer.deploy(deployOf(remote, "web", "2222222", ["deployment.yaml", "service.yaml"]))).gitopsSha;
    await writer.deploy(deployOf(remote, "api", "bbbbbbb", ["deployment.yaml"]));
  });
  afterAll(async () => {
    await writer.close();
    remote.cleanup();
  });

  test("rolls back to the previous release after other apps deployed, as a new pinned commit", async () => {
    // Another replica deploys a third app right before the rollback: no conflict, both land.
    const other = cloneRepo(remote.bare, join(remote.root, "replica"));
    git(other, ["commit", "-q", "--allow-empty", "-m", "[gimlet] staging/cron deploy 0000000 by other"]);
    git(other, ["push", "-q", "origin", "main"]);

    const out = await writer.rollback({ repo: remote.bare, env: "staging", app: "web", actor: "alice" });
    expect(out).toMatchObject({ decision: "committed", reasonCode: "rolled_back", rolledBackTo: v1 });
    expect(out.message).toBe(`[gimlet] staging/web rollback to ${v1.slice(0, 7)} by alice`);
    expect(subjects(remote.bare)[1]).toBe("[gimlet] staging/cron deploy 0000000 by other");
    expect(git(remote.bare, ["log", "--format=%s", "--grep=Revert", "main"])).toBe("");

    expect(listTree(remote.bare, "main", "staging/web")).toEqual([
      "deployment.yaml",
      "ingress.yaml",
      "release.json",
      "service.yaml",
    ]);
    expect(show(remote.bare, "main", "staging/web/deployment.yaml")).toBe(
      show(remote.bare, v1, "staging/web/deployment.yaml"),
    );
    expect(show(remote.bare, "main", "staging/api/deployment.yaml")).toContain("bbbbbbb");
    const record = JSON.parse(show(remote.bare, "main", "staging/web/release.json")!);
    expect(record).toMatchObject({
      app: "web",
      env: "staging",
      artifactId: "web-1111111",
      triggeredBy: "alice",
      pinned: true,
      rollback: { of: v1 },
    });
    expect(git(remote.bare, ["log", "-1", "--format=%B", "main"])).toContain(`Gimlet-Rollback-Of: ${v1}`);

    const current = await writer.readRelease({ repo: remote.bare, env: "staging", app: "web" });
    expect(current).toMatchObject({ pinned: true, rollback: { of: v1 } });
  });

  test("rolling back to the same release again changes nothing", async () => {
    const again = await writer.rollback({
      repo: remote.bare,
      env: "staging",
      app: "web",
      to: v1.slice(0, 8),
      actor: "alice",
    });
    expect(again).toMatchObject({ decision: "unchanged", rolledBackTo: v1 });
  });

  test("`to` must be a deploy of that app: a bad sha, another app's deploy, a non-sha → ConfigError", async () => {
    const head = git(remote.bare, ["rev-parse", "main"]);
    await expect(
      writer.rollback({ repo: remote.bare, env: "staging", app: "web", to: "deadbeef", actor: "a" }),
    ).rejects.toThrow(/no release deadbeef for staging\/web/);
    await expect(
      writer.rollback({ repo: remote.bare, env: "staging", app: "web", to: apiDeploy, actor: "a" }),
    ).rejects.toBeInstanceOf(ConfigError);
    await expect(
      writer.rollback({ repo: remote.bare, env: "staging", app: "web", to: "main~1", actor: "a" }),
    ).rejects.toBeInstanceOf(ConfigError);
    await expect(writer.rollback({ repo: remote.bare, env: "staging", app: "nope", actor: "a" })).rejects.toThrow(
      /no current release/,
    );
    expect(git(remote.bare, ["rev-parse", "main"])).toBe(head);
  });

  test("an explicit deploy unpins; a rollback to an explicit sha works", async () => {
    const out = await writer.deploy(deployOf(remote, "web", "3333333", ["deployment.yaml"]));
    expect(out.decision).toBe("committed");
    const current = await writer.readRelease({ repo: remote.bare, env: "staging", app: "web" });
    expect(current?.pinned).toBeUndefined();
    expect(current?.rollback).toBeUndefined();

    const back = await writer.rollback({
      repo: remote.bare,
      env: "staging",
      app: "web",
      to: v2.slice(0, 10),
      actor: "bob",
    });
    expect(back).toMatchObject({ decision: "committed", rolledBackTo: v2 });
    expect(listTree(remote.bare, "main", "staging/web")).toEqual(["deployment.yaml", "release.json", "service.yaml"]);
  });

  test("the default target skips releases that were rolled back", async () => {
    // History of web: v1, v2, rollback→v1, v3, rollback→v2. Live: v2. Before it, v1 (v3 was rolled back).
    const out = await writer.rollback({ repo: remote.bare, env: "staging", app: "web", actor: "carol" });
    expect(out.rolledBackTo).toBe(v1);
  });

  test("in one batch: a rollback sees the deploy queued before it; a refused write doesn't sink the others", async () => {
    const before = writer.stats({ repo: remote.bare });
    const deploy = writer.deploy(deployOf(remote, "web", "5555555", ["deployment.yaml"]));
    const bad = writer.rollback({ repo: remote.bare, env: "staging", app: "web", to: "0000000", actor: "a" });
    const back = writer.rollback({ repo: remote.bare, env: "staging", app: "web", actor: "dave" });
    const other = writer.deploy(deployOf(remote, "api", "ccccccc", ["deployment.yaml"]));
    const [d, b, o] = await Promise.all([deploy, back, other]);
    await expect(bad).rejects.toBeInstanceOf(ConfigError);
    expect(d.decision).toBe("committed");
    // It rolls back the 5555555 deploy, to the release before it that no rollback skipped: v1
    // (v2 and v3 were skipped by the earlier rollback to v1).
    expect(b).toMatchObject({ decision: "committed", rolledBackTo: v1 });
    expect(o.decision).toBe("committed");
    expect(writer.stats({ repo: remote.bare }).pushes - before.pushes).toBe(1);
    expect(subjects(remote.bare).slice(0, 3)).toEqual([
      "[gimlet] staging/api deploy ccccccc by policy",
      `[gimlet] staging/web rollback to ${v1.slice(0, 7)} by dave`,
      "[gimlet] staging/web deploy 5555555 by policy",
    ]);
  });
});
