import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { type DeployRequest, GitopsWriter } from "../../shared/gitops/index.js";
import {
  appendCommits,
  createBareRepo,
  fakeSha,
  git,
  releaseJson,
  type StreamCommit,
  type TempRemote,
} from "../helpers/gitRepos.js";

function deployOf(remote: TempRemote, app: string, sha: string): DeployRequest {
  return {
    repo: remote.bare,
    env: "staging",
    app,
    files: [{ path: "deployment.yaml", content: `# ${sha}\n` }],
    release: { artifactId: `${app}-${sha}`, triggeredBy: "ci", version: { sha: sha.padEnd(40, "0"), branch: "main" } },
    actor: "ci",
  };
}

describe("gitops history: written by this writer", () => {
  let remote: TempRemote;
  let writer: GitopsWriter;
  const sha: Record<string, string> = {};
  beforeAll(async () => {
    remote = createBareRepo();
    writer = new GitopsWriter({ workDir: join(remote.root, "work") });
    const t = { repo: remote.bare };
    sha.d1 = (await writer.deploy(deployOf(remote, "web", "1111111"))).gitopsSha;
    sha.api = (await writer.deploy(deployOf(remote, "api", "aaaaaaa"))).gitopsSha;
    sha.d2 = (await writer.deploy(deployOf(remote, "web", "2222222"))).gitopsSha;
    sha.d3 = (await writer.deploy(deployOf(remote, "web", "3333333"))).gitopsSha;
    sha.r1 = (await writer.rollback({ ...t, env: "staging", app: "web", to: sha.d1, actor: "alice" })).gitopsSha;
    sha.lock = (await writer.lock({ ...t, env: "staging", by: "alice" })).gitopsSha;
    sha.d4 = (await writer.deploy(deployOf(remote, "web", "4444444"))).gitopsSha;
    sha.del = (await writer.remove({ ...t, env: "staging", app: "api", reason: "pr closed" })).gitopsSha;
  });
  afterAll(async () => {
    await writer.close();
    remote.cleanup();
  });

  test("one app: typed, newest first, rolledBack computed", async () => {
    const entries = await writer.history({ repo: remote.bare, env: "staging", app: "web" });
    expect(entries.map((e) => [e.type, e.gitopsSha, e.rolledBack])).toEqual([
      ["deploy", sha.d4, false],
      ["rollback", sha.r1, false],
      ["deploy", sha.d3, true],
      ["deploy", sha.d2, true],
      ["deploy", sha.d1, false],
    ]);
    expect(entries[1]).toMatchObject({
      rollbackOf: sha.d1,
      pinned: true,
      triggeredBy: "alice",
      artifactId: "web-1111111",
      env: "staging",
      app: "web",
    });
    expect(entries[0]).toMatchObject({
      artifactId: "web-4444444",
      version: { sha: "4444444".padEnd(40, "0"), branch: "main" },
    });
    expect(entries[0]!.pinned).toBeUndefined();
    expect(Date.parse(entries[0]!.created)).not.toBeNaN();
  });

  test("the whole env: every app, deletes typed, lock commits left out; limit applies", async () => {
    const all = await writer.history({ repo: remote.bare, env: "staging" });
    expect(all.map((e) => `${e.app}:${e.type}`)).toEqual([
      "api:delete",
      "web:deploy",
      "web:rollback",
      "web:deploy",
      "web:deploy",
      "api:deploy",
      "web:deploy",
    ]);
    expect(all[0]).toMatchObject({ gitopsSha: sha.del, rolledBack: false });
    expect(all.map((e) => e.gitopsSha)).not.toContain(sha.lock);
    const two = await writer.history({ repo: remote.bare, env: "staging", limit: 2 });
    expect(two.map((e) => e.gitopsSha)).toEqual([sha.del, sha.d4]);
    expect(await writer.history({ repo: remote.bare, env: "staging", app: "web", limit: 0 })).toEqual([]);
    expect(await writer.history({ repo: remote.bare, env: "production" })).toEqual([]);
  });
});

describe("gitops history: repositories Gimlet wrote, and 10,000 commits", () => {
  let remote: TempRemote;
  let writer: GitopsWriter;
  beforeAll(() => {
    remote = createBareRepo();
    writer = new GitopsWriter({ workDir: join(remote.root, "work") });
  });
  afterAll(async () => {
    await writer.close();
    remote.cleanup();
  });

  test("a Gimlet release.json (app, env, artifactId, triggeredBy, version only) reads as a deploy", async () => {
    const legacy = (sha: string) =>
      JSON.stringify({
        app: "legacy",
        env: "staging",
        artifactId: `acme-legacy-${sha}`,
        triggeredBy: "policy",
        version: {
          repositoryName: "acme/legacy",
          sha,
          created: 1700000000,
          branch: "main",
          event: "push",
          authorName: "Ann",
          message: "fix",
        },
      });
    appendCommits(
      remote.bare,
      [
        {
          message: "[Gimlet] staging/legacy automated deploy",
          files: { "staging/legacy/deployment.yaml": "a\n", "staging/legacy/release.json": legacy("aaa") },
        },
        {
          message: "Automated deploy by gimlet",
          files: { "staging/legacy/deployment.yaml": "b\n", "staging/legacy/release.json": legacy("bbb") },
        },
        { message: "manual tweak of the deployment", files: { "staging/legacy/deployment.yaml": "c\n" } },
      ],
      { startTime: 1700000100 },
    );
    const entries = await writer.history({ repo: remote.bare, env: "staging", app: "legacy" });
    expect(entries).toHaveLength(2); // the tweak didn't change the release
    expect(entries[0]).toMatchObject({
      type: "deploy",
      artifactId: "acme-legacy-bbb",
      triggeredBy: "policy",
      rolledBack: false,
      version: { sha: "bbb", repositoryName: "acme/legacy", created: 1700000000, event: "push" },
      created: new Date(1700000101 * 1000).toISOString(), // no `created` in the record: the commit date
    });
    expect(entries[1]).toMatchObject({ type: "deploy", artifactId: "acme-legacy-aaa" });
  });

  test("400 commits (the 10,000-commit case is in npm run bench): newest entries right, rollback marks, full app history", async () => {
    const apps = 20;
    const N = 400; // the same shape as the bench's 10,000 commits: 20 apps deployed in turn
    const commits: StreamCommit[] = [];
    for (let i = 0; i < N; i++) {
      const app = `app-${i % apps}`;
      commits.push({
        message: `[gimlet] staging/${app} deploy ${fakeSha(i).slice(0, 7)} by policy`,
        files: {
          [`staging/${app}/deployment.yaml`]: `image: acme/${app}:${i}\n`,
          [`staging/${app}/release.json`]: releaseJson({
            app,
            env: "staging",
            artifactId: `a-${i}`,
            sha: fakeSha(i),
            created: new Date(1767225600000 + i * 1000).toISOString(),
          }),
        },
      });
    }
    appendCommits(remote.bare, commits, { startTime: 1767225600 });
    // app-3's deploys are commits 383 (newest), 363, 343, ...; roll back to 343.
    const target = git(remote.bare, ["rev-list", "-n", "1", "--skip=56", "main"]); // commit 343 of 0..399
    expect(JSON.parse(git(remote.bare, ["show", `${target}:staging/app-3/release.json`])).artifactId).toBe("a-343");
    appendCommits(
      remote.bare,
      [
        {
          message: `[gimlet] staging/app-3 rollback to ${target.slice(0, 7)} by alice`,
          files: {
            "staging/app-3/deployment.yaml": "image: acme/app-3:343\n",
            "staging/app-3/release.json": releaseJson({
              app: "app-3",
              env: "staging",
              artifactId: "a-343",
              sha: fakeSha(343),
              created: "2026-12-01T00:00:00.000Z",
              triggeredBy: "alice",
              rollbackOf: target,
            }),
          },
        },
      ],
      { startTime: 1767300000 },
    );

    const one = await writer.history({ repo: remote.bare, env: "staging", app: "app-3", limit: 5 });
    expect(one.map((e) => [e.type, e.artifactId, e.rolledBack])).toEqual([
      ["rollback", "a-343", false],
      ["deploy", "a-383", true],
      ["deploy", "a-363", true],
      ["deploy", "a-343", false],
      ["deploy", "a-323", false],
    ]);
    expect(one[3]!.gitopsSha).toBe(target);

    const env = await writer.history({ repo: remote.bare, env: "staging", limit: 4 });
    expect(env.map((e) => `${e.app}:${e.artifactId}`)).toEqual([
      "app-3:a-343",
      "app-19:a-399",
      "app-18:a-398",
      "app-17:a-397",
    ]);

    const full = await writer.history({ repo: remote.bare, env: "staging", app: "app-7" });
    expect(full).toHaveLength(N / apps);
    expect(full[0]?.artifactId).toBe("a-387");
    expect(full[N / apps - 1]?.artifactId).toBe("a-7");
  });
});
