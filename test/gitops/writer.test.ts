import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { ConfigError, Transient } from "../../shared/errors.js";
import { type DeployRequest, GitopsWriter } from "../../shared/gitops/index.js";
import { cloneRepo, createBareRepo, git, listTree, show, subjects, type TempRemote } from "../helpers/gitRepos.js";

const clock = { now: () => new Date("2026-11-21T10:00:00.000Z") };

function files(...names: string[]) {
  return names.map((n) => ({ path: n, content: `kind: ${n}\nmetadata:\n  name: x\n` }));
}

function release(sha: string, extra: Partial<DeployRequest["release"]> = {}): DeployRequest["release"] {
  return {
    artifactId: `acme-web-${sha.slice(0, 6)}`,
    triggeredBy: "alice",
    version: { sha, branch: "main", repositoryName: "acme/web" },
    ...extra,
  };
}

describe("gitops writer: deploy", () => {
  let remote: TempRemote;
  let writer: GitopsWriter;
  beforeAll(() => {
    remote = createBareRepo();
    writer = new GitopsWriter({ workDir: join(remote.root, "work"), clock });
  });
  afterAll(async () => {
    await writer.close();
    remote.cleanup();
  });

  test("writes the files, release.json, message, trailers and author", async () => {
    const out = await writer.deploy({
      repo: remote.bare,
      env: "staging",
      app: "web",
      files: files("deployment.yaml", "service.yaml"),
      release: release("abcdef1234567890", { deployment: { repository: "acme/web", id: 42 } }),
      actor: "alice",
    });
    expect(out).toMatchObject({ decision: "committed", reasonCode: "deployed", env: "staging", app: "web" });
    expect(git(remote.bare, ["rev-parse", "main"])).toBe(out.gitopsSha);
    expect(listTree(remote.bare, "main", "staging/web")).toEqual(["deployment.yaml", "release.json", "service.yaml"]);
    expect(JSON.parse(show(remote.bare, "main", "staging/web/release.json")!)).toEqual({
      app: "web",
      env: "staging",
      artifactId: "acme-web-abcdef",
      triggeredBy: "alice",
      version: { sha: "abcdef1234567890", branch: "main", repositoryName: "acme/web" },
      deployment: { repository: "acme/web", id: 42 },
      created: "2026-11-21T10:00:00.000Z",
    });
    const [subject, ...rest] = git(remote.bare, ["log", "-1", "--format=%B", "main"]).split("\n");
    expect(subject).toBe("[gimlet] staging/web deploy abcdef1 by alice");
    expect(rest).toContain("Gimlet-Artifact: acme-web-abcdef");
    expect(rest).toContain("Gimlet-Deployment: acme/web#42");
    expect(git(remote.bare, ["log", "-1", "--format=%an <%ae>|%cn <%ce>", "main"])).toBe(
      "gimlet[bot] <gimlet[bot]@users.noreply.github.com>|gimlet[bot] <gimlet[bot]@users.noreply.github.com>",
    );
  });

  test("a deploy with a file fewer removes the stale file", async () => {
    const out = await writer.deploy({
      repo: remote.bare,
      env: "staging",
      app: "web",
      files: files("deployment.yaml"),
      release: release("bbbbbb1234567890"),
    });
    expect(out.decision).toBe("committed");
    expect(out.message).toBe("[gimlet] staging/web deploy bbbbbb1 by policy");
    expect(listTree(remote.bare, "main", "staging/web")).toEqual(["deployment.yaml", "release.json"]);
  });

  test("the same release twice makes no second commit (created and deployment id ignored)", async () => {
    const before = subjects(remote.bare).length;
    const head = git(remote.bare, ["rev-parse", "main"]);
    const again = await writer.deploy({
      repo: remote.bare,
      env: "staging",
      app: "web",
      files: files("deployment.yaml"),
      release: { ...release("bbbbbb1234567890"), created: "2030-01-01T00:00:00.000Z" },
    });
    expect(again).toMatchObject({ decision: "unchanged", reasonCode: "already_deployed", gitopsSha: head });
    expect(subjects(remote.bare)).toHaveLength(before);
  });

  test("an unchanged verdict is checked against the remote: a stale clone still deploys", async () => {
    // Another replica moves web to another release; this writer's clone still has bbbbbb.
    const other = cloneRepo(remote.bare, join(remote.root, "replica"));
    git(other, ["rm", "-q", "-r", "staging/web"]);
    git(other, ["commit", "-q", "-m", "[gimlet] staging/web delete (test)"]);
    git(other, ["push", "-q", "origin", "main"]);
    const out = await writer.deploy({
      repo: remote.bare,
      env: "staging",
      app: "web",
      files: files("deployment.yaml"),
      release: release("bbbbbb1234567890"),
    });
    expect(out.decision).toBe("committed");
    expect(listTree(remote.bare, "main", "staging/web")).toEqual(["deployment.yaml", "release.json"]);
  });

  test("a push rejected because another clone pushed in between is re-applied on the new tip", async () => {
    const other = join(remote.root, "replica");
    git(other, ["pull", "-q", "--ff-only"]);
    const statsBefore = writer.stats({ repo: remote.bare });
    // The writer's clone is warm at the current tip; the replica pushes first.
    mkdirSync(join(other, "staging", "api"), { recursive: true });
    writeFileSync(join(other, "staging", "api", "release.json"), "{}\n");
    git(other, ["add", "-A"]);
    git(other, ["commit", "-q", "-m", "unrelated change"]);
    git(other, ["push", "-q", "origin", "main"]);
    const out = await writer.deploy({
      repo: remote.bare,
      env: "staging",
      app: "worker",
      files: files("deployment.yaml"),
      release: release("cccccc1234567890"),
    });
    expect(out).toMatchObject({ decision: "committed", pushAttempts: 2 });
    expect(writer.stats({ repo: remote.bare }).rejectedPushes).toBe(statsBefore.rejectedPushes + 1);
    expect(subjects(remote.bare).slice(0, 2)).toEqual([
      "[gimlet] staging/worker deploy cccccc1 by policy",
      "unrelated change",
    ]);
    expect(show(remote.bare, "main", "staging/web/release.json")).toBeDefined();
    expect(show(remote.bare, "main", "staging/api/release.json")).toBe("{}");
  });

  test("25 concurrent deploys on one writer: 25 commits, fewer pushes than writes", async () => {
    const before = writer.stats({ repo: remote.bare });
    const commitsBefore = subjects(remote.bare).length;
    const first = writer.deploy({
      repo: remote.bare,
      env: "batch",
      app: "app-0",
      files: files("deployment.yaml"),
      release: release("d0d0d01234567890"),
    });
    await new Promise((r) => setImmediate(r)); // the first write is in flight when the others arrive
    const rest = Array.from({ length: 24 }, (_, i) =>
      writer.deploy({
        repo: remote.bare,
        env: "batch",
        app: `app-${i + 1}`,
        files: files("deployment.yaml"),
        release: release(`d${i}d0d01234567890`),
      }),
    );
    const outcomes = await Promise.all([first, ...rest]);
    expect(outcomes.every((o) => o.decision === "committed")).toBe(true);
    expect(new Set(outcomes.map((o) => o.gitopsSha)).size).toBe(25);
    const after = writer.stats({ repo: remote.bare });
    expect(after.commits - before.commits).toBe(25);
    expect(after.pushes - before.pushes).toBeLessThan(25);
    expect(Math.max(...outcomes.map((o) => o.batchSize))).toBeGreaterThan(1);
    expect(subjects(remote.bare).length - commitsBefore).toBe(25);
    expect(listTree(remote.bare, "main", "batch")).toHaveLength(25);
  });

  test("env locks: lock, read, lock again unchanged, unlock", async () => {
    const locked = await writer.lock({ repo: remote.bare, env: "staging", by: "carol", reason: "freeze" });
    expect(locked).toMatchObject({
      decision: "committed",
      reasonCode: "locked",
      message: "[gimlet] staging lock by carol (freeze)",
    });
    expect(await writer.readLock({ repo: remote.bare, env: "staging" })).toEqual({
      by: "carol",
      reason: "freeze",
      created: "2026-11-21T10:00:00.000Z",
    });
    expect((await writer.lock({ repo: remote.bare, env: "staging", by: "carol", reason: "freeze" })).decision).toBe(
      "unchanged",
    );
    expect((await writer.unlock({ repo: remote.bare, env: "staging", by: "carol" })).reasonCode).toBe("unlocked");
    expect(await writer.readLock({ repo: remote.bare, env: "staging" })).toBeUndefined();
    expect((await writer.unlock({ repo: remote.bare, env: "staging", by: "carol" })).decision).toBe("unchanged");
  });

  test('repo-per-env (path "") writes <app>/ at the root; remove deletes the folder', async () => {
    await writer.deploy({
      repo: remote.bare,
      env: "production",
      path: "",
      app: "web",
      files: files("deployment.yaml"),
      release: release("eeeeee1234567890"),
    });
    expect(listTree(remote.bare, "main", "web")).toEqual(["deployment.yaml", "release.json"]);
    expect((await writer.readRelease({ repo: remote.bare, env: "production", path: "", app: "web" }))?.artifactId).toBe(
      "acme-web-eeeeee",
    );
    const removed = await writer.remove({
      repo: remote.bare,
      env: "production",
      path: "",
      app: "web",
      reason: "pr closed",
    });
    expect(removed).toMatchObject({ decision: "committed", message: "[gimlet] production/web delete (pr closed)" });
    expect(show(remote.bare, "main", "web/release.json")).toBeUndefined();
    expect(
      (await writer.remove({ repo: remote.bare, env: "production", path: "", app: "web", reason: "again" })).decision,
    ).toBe("unchanged");
  });

  test("unsafe names and files are refused before any file or git operation", async () => {
    const refs = git(remote.bare, ["for-each-ref"]);
    const clone = writer.clonePath({ repo: remote.bare });
    const cloneRefs = git(clone, ["for-each-ref"]);
    const cloneObjects = git(clone, ["count-objects", "-v"]);
    const workRoot = readdirSync(join(remote.root, "work"));
    const base = { repo: remote.bare, files: files("deployment.yaml"), release: release("ffffff1234567890") };
    const attempts = [
      writer.deploy({ ...base, env: "staging", app: "../x" }),
      writer.deploy({ ...base, env: "../../etc", app: "web" }),
      writer.deploy({ ...base, env: "staging", path: "/abs", app: "web" }),
      writer.deploy({ ...base, env: "staging", path: "a/../../b", app: "web" }),
      writer.deploy({ ...base, env: "staging", path: "a\\b", app: "web" }),
      writer.deploy({ ...base, env: "staging", app: "web", files: [{ path: "../../x.yaml", content: "x" }] }),
      writer.deploy({ ...base, env: "staging", app: "web", files: [{ path: "sub/x.yaml", content: "x" }] }),
      writer.deploy({ ...base, env: "staging", app: "web", files: [{ path: "release.json", content: "{}" }] }),
      writer.rollback({ repo: remote.bare, env: "staging", app: "../x", actor: "a" }),
      writer.remove({ repo: remote.bare, env: "..", app: "web", reason: "x" }),
      writer.lock({ repo: remote.bare, env: "../../etc", by: "a" }),
      writer.history({ repo: remote.bare, env: "staging", app: "../x" }),
      writer.readRelease({ repo: remote.bare, env: "staging", app: "../../x" }),
    ];
    for (const attempt of attempts) await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    expect(git(remote.bare, ["for-each-ref"])).toBe(refs);
    expect(git(clone, ["for-each-ref"])).toBe(cloneRefs);
    expect(git(clone, ["count-objects", "-v"])).toBe(cloneObjects);
    expect(readdirSync(join(remote.root, "work"))).toEqual(workRoot);
  });

  test("two deploys of one app in one batch: both commits, the second wins", async () => {
    const a = writer.deploy({
      repo: remote.bare,
      env: "twice",
      app: "web",
      files: files("a.yaml"),
      release: release("1212121234567890"),
    });
    const b = writer.deploy({
      repo: remote.bare,
      env: "twice",
      app: "web",
      files: files("b.yaml"),
      release: release("3434343434567890"),
    });
    const c = writer.deploy({
      repo: remote.bare,
      env: "twice",
      app: "web",
      files: files("b.yaml"),
      release: release("3434343434567890"),
    });
    const [oa, ob, oc] = await Promise.all([a, b, c]);
    expect([oa.decision, ob.decision, oc.decision]).toEqual(["committed", "committed", "unchanged"]);
    expect(oc.gitopsSha).toBe(ob.gitopsSha);
    expect(git(remote.bare, ["rev-parse", `${ob.gitopsSha}^`])).toBe(oa.gitopsSha);
    expect(listTree(remote.bare, "main", "twice/web")).toEqual(["b.yaml", "release.json"]);
  });

  test("a remote that doesn't exist is a ConfigError, one that can't be reached is Transient", async () => {
    const w = new GitopsWriter();
    try {
      const req = { env: "staging", app: "web", files: files("a.yaml"), release: release("1234567890") };
      await expect(w.deploy({ ...req, repo: join(remote.root, "missing.git") })).rejects.toBeInstanceOf(ConfigError);
      await expect(w.deploy({ ...req, repo: "http://127.0.0.1:9/gitops.git" })).rejects.toBeInstanceOf(Transient);
    } finally {
      await w.close();
    }
  });
});

describe("gitops writer: remotes named by the app, and the commits Flux applied", () => {
  let remote: TempRemote;
  let writer: GitopsWriter;
  let calls = 0;
  beforeAll(() => {
    remote = createBareRepo();
    // Like the GitHub remote: `owner/repo` → a URL that differs from call to call (a new token).
    writer = new GitopsWriter({
      workDir: join(remote.root, "work"),
      resolveUrl: async (repo) => {
        if (repo !== "acme/gitops") throw new Error(`unexpected ${repo}`);
        return calls++ === 0 ? remote.bare : `file://${remote.bare}`;
      },
    });
  });
  afterAll(async () => {
    await writer.close();
    remote.cleanup();
  });

  test("resolveUrl maps the name before each fetch and push; rollback records its own deployment; releaseCommits reads trailers", async () => {
    const t = { repo: "acme/gitops", env: "staging" };
    const one = await writer.deploy({
      ...t,
      app: "web",
      files: files("a.yaml"),
      release: release("1111111111", { deployment: { repository: "acme/web", id: 7 } }),
    });
    await writer.deploy({
      ...t,
      app: "web",
      files: files("b.yaml"),
      release: release("2222222222", { deployment: { repository: "acme/web", id: 8 } }),
    });
    const back = await writer.rollback({
      ...t,
      app: "web",
      actor: "al",
      deployment: { repository: "acme/web", id: 9 },
    });
    expect(back).toMatchObject({ decision: "committed", rolledBackTo: one.gitopsSha });
    expect(JSON.parse(show(remote.bare, "main", "staging/web/release.json")!).deployment).toEqual({
      repository: "acme/web",
      id: 9,
    });
    expect(calls).toBeGreaterThan(2);
    expect(git(writer.clonePath(t), ["config", "--get", "remote.origin.url"])).toBe(`file://${remote.bare}`);

    const commits = await writer.releaseCommits({ repo: "acme/gitops" }, back.gitopsSha, 10);
    expect(commits.map((c) => c.deployments)).toEqual([
      [{ repository: "acme/web", id: 9 }],
      [{ repository: "acme/web", id: 8 }],
      [{ repository: "acme/web", id: 7 }],
      [],
    ]);
    expect(commits[2]!.sha).toBe(one.gitopsSha);
    expect(await writer.releaseCommits({ repo: "acme/gitops" }, back.gitopsSha, 1)).toHaveLength(1);
    expect(await writer.releaseCommits({ repo: "acme/gitops" }, "0123456789abcdef0123456789abcdef01234567", 5)).toEqual(
      [],
    );
    await expect(writer.releaseCommits({ repo: "acme/gitops" }, "main~1", 5)).rejects.toBeInstanceOf(ConfigError);
  });
});
