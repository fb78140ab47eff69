import { afterEach, describe, expect, test } from "@jest/globals";
import { GitopsWriter } from "../../shared/gitops/index.js";
import { takeBatch } from "../../shared/gitops/queue.js";
import { createBareRepo, git, type TempRemote, tempDir } from "../helpers/gitRepos.js";

const remotes: TempRemote[] = [];
afterEach(() => {
  for (const r of remotes.splice(0)) r.cleanup();
});

const deploy = (repo: string, source: string, app: string) => ({
  repo,
  env: "staging",
  app,
  files: [{ path: "deployment.yaml", content: `kind: Deployment\nmetadata:\n  name: ${app}\n` }],
  release: {
    artifactId: `art-${app}`,
    triggeredBy: "policy",
    version: { sha: "3".repeat(40), repositoryName: source },
    deployment: { repository: source, id: 1 },
  },
});

describe("fairness between app repositories writing to one gitops repository", () => {
  test("a batch is cut where the source changes, so arrival order is kept and bursts don't mix", () => {
    const pending = ["a", "a", "b", "a", "c", "c"].map((source, seq) => ({ source, seq }));
    expect(takeBatch(pending, 100).map((p) => p.seq)).toEqual([0, 1]);
    expect(takeBatch(pending, 100).map((p) => p.seq)).toEqual([2]);
    expect(takeBatch(pending, 100).map((p) => p.seq)).toEqual([3]);
    expect(takeBatch(pending, 1).map((p) => p.seq)).toEqual([4]);
    expect(takeBatch(pending, 100).map((p) => p.seq)).toEqual([5]);
    expect(takeBatch(pending, 100)).toEqual([]);
  });

  test("one repository's burst of 30 releases can't starve another's single release: it lands within two batches", async () => {
    const remote = createBareRepo();
    remotes.push(remote);
    const writer = new GitopsWriter({ workDir: tempDir("gimlet-work-"), maxConcurrentPerSource: 4 });
    await writer.readLock({ repo: remote.bare, env: "staging" }); // warm
    const done: string[] = [];
    const burst = Array.from({ length: 30 }, (_, i) =>
      writer.deploy(deploy(remote.bare, "acme/big", `big-${i}`)).then((o) => {
        done.push(`big-${i}`);
        return o;
      }),
    );
    const small = writer.deploy(deploy(remote.bare, "acme/small", "small")).then((o) => {
      done.push("small");
      return o;
    });
    const outcomes = await Promise.all([...burst, small]);
    expect(outcomes.every((o) => o.decision === "committed")).toBe(true); // queued, never dropped
    // At most 4 of the burst are in the queue ahead of it, plus the batch already being pushed.
    expect(done.indexOf("small")).toBeLessThanOrEqual(8);
    expect(git(remote.bare, ["ls-tree", "--name-only", "main", "staging/"]).split("\n")).toHaveLength(31);
    await writer.close();
  });

  test("writes of one source in flight are bounded by maxConcurrentPerSource; the rest queue", async () => {
    const remote = createBareRepo();
    remotes.push(remote);
    const writer = new GitopsWriter({ workDir: tempDir("gimlet-work-"), maxConcurrentPerSource: 3 });
    await writer.readLock({ repo: remote.bare, env: "staging" });
    const jobs = Array.from({ length: 12 }, (_, i) => writer.deploy(deploy(remote.bare, "acme/big", `app-${i}`)));
    await Promise.all(jobs);
    const stats = writer.stats({ repo: remote.bare });
    // 12 writes, at most 3 per batch: at least 4 pushes (unbounded, one batch of 12 would have been 1).
    expect(stats.commits).toBe(12);
    expect(stats.pushes).toBeGreaterThanOrEqual(4);
    await writer.close();
  });
});
