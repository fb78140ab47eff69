import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { Conflict, PolicyDenied } from "../../shared/errors.js";
import { type DeployRequest, GitopsWriter } from "../../shared/gitops/index.js";
import { createBareRepo, show, subjects, type TempRemote } from "../helpers/gitRepos.js";

let remote: TempRemote;
let writer: GitopsWriter;
beforeEach(() => {
  remote = createBareRepo();
  writer = new GitopsWriter({ workDir: join(remote.root, "work") });
});
afterEach(async () => {
  await writer.close();
  remote.cleanup();
});

function deploy(repositoryName: string, sha: string, extra: Partial<DeployRequest> = {}): DeployRequest {
  return {
    repo: remote.bare,
    env: "staging",
    app: "shop",
    files: [{ path: "deployment.yaml", content: `image: ${repositoryName}:${sha}\n` }],
    release: {
      artifactId: `a-${sha}`,
      triggeredBy: "ci",
      version: { repositoryName, sha: sha.padEnd(40, "0") },
      deployment: { repository: repositoryName, id: 1 },
    },
    ...extra,
  };
}

describe("an app folder belongs to the repository that released it", () => {
  test("another repository releasing an app of the same name is refused; the folder is untouched", async () => {
    await writer.deploy(deploy("acme/shop", "1111111"));
    const before = subjects(remote.bare);
    await expect(writer.deploy(deploy("acme/other", "2222222"))).rejects.toThrow(Conflict);
    await expect(writer.deploy(deploy("acme/other", "2222222"))).rejects.toThrow(
      "staging/shop is released from acme/shop; acme/other can't release or roll back an app of the same name there (rename the app)",
    );
    expect(subjects(remote.bare)).toEqual(before);
    expect(show(remote.bare, "main", "staging/shop/deployment.yaml")).toContain("acme/shop:1111111");
    // names compare case-insensitively: the owner itself goes on releasing
    expect((await writer.deploy(deploy("Acme/Shop", "3333333"))).decision).toBe("committed");
  });

  test("a rollback asked for by another repository is refused", async () => {
    await writer.deploy(deploy("acme/shop", "1111111"));
    await writer.deploy(deploy("acme/shop", "2222222"));
    await expect(
      writer.rollback({ repo: remote.bare, env: "staging", app: "shop", actor: "mallory", owner: "acme/other" }),
    ).rejects.toThrow(Conflict);
    expect(
      (await writer.rollback({ repo: remote.bare, env: "staging", app: "shop", actor: "alice", owner: "acme/shop" }))
        .decision,
    ).toBe("committed");
  });
});

describe("policy deploys re-check locks and pins at the head of the write queue", () => {
  test("a pin that landed first wins over a policy deploy queued behind it; an explicit deploy still unpins", async () => {
    await writer.deploy(deploy("acme/shop", "1111111"));
    await writer.deploy(deploy("acme/shop", "2222222"));
    const rollback = writer.rollback({ repo: remote.bare, env: "staging", app: "shop", actor: "oncall" });
    const policy = writer.deploy(deploy("acme/shop", "2222222", { policy: true }));
    await rollback;
    await expect(policy).rejects.toThrow(PolicyDenied);
    await expect(policy).rejects.toThrow(
      /staging\/shop is pinned by a rollback to [0-9a-f]{7}; an explicit deploy unpins it/,
    );
    expect(show(remote.bare, "main", "staging/shop/deployment.yaml")).toContain("acme/shop:1111111");
    expect((await writer.deploy(deploy("acme/shop", "4444444"))).decision).toBe("committed");
  });

  test("a lock refuses policy deploys, not explicit ones", async () => {
    await writer.lock({ repo: remote.bare, env: "staging", by: "alice", reason: "freeze" });
    await expect(writer.deploy(deploy("acme/shop", "1111111", { policy: true }))).rejects.toThrow(
      "environment staging is locked by alice: freeze",
    );
    expect((await writer.deploy(deploy("acme/shop", "1111111"))).decision).toBe("committed");
  });
});

describe("guards inside one batch", () => {
  test("a lock queued just before a policy deploy in the same batch stops it", async () => {
    await writer.deploy(deploy("acme/shop", "1111111"));
    const lock = writer.lock({ repo: remote.bare, env: "staging", by: "alice", reason: "incident" });
    const policy = writer.deploy(deploy("acme/shop", "2222222", { policy: true }));
    await lock;
    await expect(policy).rejects.toThrow("environment staging is locked by alice: incident");
    expect(show(remote.bare, "main", "staging/shop/deployment.yaml")).toContain("acme/shop:1111111");
  });

  test("a rollback never restores another repository's release, even after the folder was deleted and reused", async () => {
    await writer.deploy(deploy("acme/a", "1111111"));
    await writer.remove({ repo: remote.bare, env: "staging", app: "shop", reason: "repo archived" });
    await writer.deploy(deploy("acme/b", "2222222"));
    await expect(
      writer.rollback({ repo: remote.bare, env: "staging", app: "shop", actor: "bob", owner: "acme/b" }),
    ).rejects.toThrow(/acme\/a/);
    expect(show(remote.bare, "main", "staging/shop/deployment.yaml")).toContain("acme/b:2222222");
  });
});
