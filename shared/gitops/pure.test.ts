import { describe, expect, test } from "@jest/globals";
import { ConfigError } from "../errors.js";
import { redact, withoutCredentials } from "./git.js";
import { type HistoryEntry, markRolledBack } from "./history.js";
import { GitopsWriter } from "./index.js";
import { appFolder, checkRenderedFiles, envFolder, lockPath, releasePath } from "./layout.js";
import { deleteMessage, deployMessage, parseSubject, rollbackMessage } from "./messages.js";
import { blobSha, fastImportStream, parseTree } from "./objects.js";
import { type FolderSnapshot, fileSpec, folderChanged, pathsOverlap, sameRelease } from "./plan.js";
import { parseStoredRelease, type ReleaseRecord, serializeRelease } from "./release.js";

const record: ReleaseRecord = {
  app: "web",
  env: "staging",
  artifactId: "acme-web-1",
  triggeredBy: "alice",
  version: { sha: "0123456789abcdef", branch: "main" },
  deployment: { repository: "acme/web", id: 7 },
  created: "2026-11-21T10:00:00.000Z",
};

describe("gitops layout", () => {
  test('folders: default path is the env, "" is the root, nested paths allowed', () => {
    expect(appFolder({ env: "staging" }, "web")).toBe("staging/web");
    expect(appFolder({ env: "staging", path: "" }, "web")).toBe("web");
    expect(appFolder({ env: "staging", path: "clusters/eu-1.staging" }, "web")).toBe("clusters/eu-1.staging/web");
    expect(releasePath({ env: "prod", path: "" }, "web")).toBe("web/release.json");
    expect(lockPath({ env: "staging" })).toBe("staging/.gimlet/lock.json");
    expect(lockPath({ env: "prod", path: "" })).toBe(".gimlet/lock.json");
  });

  test.each([
    [{ env: "staging" }, "../x"],
    [{ env: "../../etc" }, "web"],
    [{ env: "Staging" }, "web"],
    [{ env: "staging" }, "web/x"],
    [{ env: "staging", path: "/abs" }, "web"],
    [{ env: "staging", path: "a/../b" }, "web"],
    [{ env: "staging", path: ".." }, "web"],
    [{ env: "staging", path: "a\\b" }, "web"],
    [{ env: "staging", path: "a//b" }, "web"],
    [{ env: "staging", path: "a/" }, "web"],
    [{ env: "staging", path: ".gimlet" }, "web"],
  ])("refuses %j app %s", (loc, app) => {
    expect(() => appFolder(loc, app)).toThrow(ConfigError);
  });

  test("every problem of a bad location is reported at once", () => {
    try {
      envFolder({ env: "../x", path: "/abs" });
      throw new Error("unreachable");
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.path)).toEqual(["env", "path"]);
    }
  });

  test("rendered files must be plain, unique names and not release.json", () => {
    expect(() =>
      checkRenderedFiles([
        { path: "deployment.yaml", content: "" },
        { path: "service.yml", content: "" },
      ]),
    ).not.toThrow();
    for (const bad of ["../../x.yaml", "sub/x.yaml", ".hidden.yaml", "..", "release.json", "a\\b.yaml", ""]) {
      expect(() => checkRenderedFiles([{ path: bad, content: "" }])).toThrow(ConfigError);
    }
    expect(() =>
      checkRenderedFiles([
        { path: "a.yaml", content: "" },
        { path: "a.yaml", content: "" },
      ]),
    ).toThrow(/duplicate/);
  });
});

describe("gitops plan", () => {
  const rel = serializeRelease(record);
  const snapshot = (files: Record<string, string>): FolderSnapshot => ({
    entries: new Map(Object.entries(files).map(([name, content]) => [name, { mode: "100644", sha: blobSha(content) }])),
    release: files["release.json"],
  });
  const desired = (files: Record<string, string>) =>
    Object.entries(files).map(([name, content]) => fileSpec(name, content));

  test("identical content, or a release differing in created/deployment id only, is unchanged", () => {
    const current = snapshot({ "deployment.yaml": "a", "release.json": rel });
    expect(folderChanged(current, desired({ "deployment.yaml": "a", "release.json": rel }))).toBe(false);
    const later = serializeRelease({
      ...record,
      created: "2030-01-01T00:00:00.000Z",
      deployment: { repository: "acme/web", id: 8 },
    });
    expect(folderChanged(current, desired({ "release.json": later, "deployment.yaml": "a" }))).toBe(false);
  });

  test("a stale file, a changed file, another actor, an unpin, a sub-folder are changes", () => {
    const current = snapshot({ "deployment.yaml": "a", "service.yaml": "s", "release.json": rel });
    expect(folderChanged(current, desired({ "deployment.yaml": "a", "release.json": rel }))).toBe(true);
    expect(
      folderChanged(
        snapshot({ "deployment.yaml": "a", "release.json": rel }),
        desired({ "deployment.yaml": "b", "release.json": rel }),
      ),
    ).toBe(true);
    const withDir: FolderSnapshot = { entries: new Map([["deployment.yaml", { mode: "40000", sha: blobSha("a") }]]) };
    expect(folderChanged(withDir, desired({ "deployment.yaml": "a" }))).toBe(true);
    expect(folderChanged({ entries: new Map() }, [])).toBe(false);
    expect(sameRelease(rel, serializeRelease({ ...record, triggeredBy: "bob" }))).toBe(false);
    expect(sameRelease(serializeRelease({ ...record, pinned: true }), rel)).toBe(false);
    expect(sameRelease(rel, "not json")).toBe(false);
  });

  test("paths overlap when one contains the other", () => {
    expect(pathsOverlap("staging/web", "staging/web")).toBe(true);
    expect(pathsOverlap("x/web", "x/web/api")).toBe(true);
    expect(pathsOverlap("staging/web", "staging/web2")).toBe(false);
    expect(pathsOverlap("staging/.gimlet/lock.json", "staging/web")).toBe(false);
  });
});

describe("gitops objects", () => {
  test("blob ids match git's", () => {
    expect(blobSha("hello\n")).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
    expect(blobSha("")).toBe("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  });

  test("raw trees parse; fast-import streams replace folders and chain commits", () => {
    const id = Buffer.from("ce013625030ba8dba906f756967f9e9ca394464a", "hex");
    const tree = Buffer.concat([Buffer.from("100644 a.yaml\0"), id, Buffer.from("40000 sub\0"), id]);
    expect([...parseTree(tree)]).toEqual([
      ["a.yaml", { mode: "100644", sha: id.toString("hex") }],
      ["sub", { mode: "40000", sha: id.toString("hex") }],
    ]);
    const stream = fastImportStream(
      "refs/gimlet/work",
      "abc",
      { name: "bot", email: "bot@x" },
      [
        {
          message: "one\n",
          edits: [
            {
              kind: "folder",
              path: "s/web",
              files: [
                { name: "d.yaml", mode: "100644", content: "é\n" },
                { name: "o.yaml", mode: "100644", sha: "ce01" },
              ],
            },
          ],
        },
        { message: "two\n", edits: [{ kind: "file", path: "s/.gimlet/lock.json", content: undefined }] },
      ],
      new Date(1000_000),
    );
    expect(stream).toBe(
      "commit refs/gimlet/work\nmark :1\nauthor bot <bot@x> 1000 +0000\ncommitter bot <bot@x> 1000 +0000\ndata 4\none\n\nfrom abc\n" +
        "D s/web\nM 100644 inline s/web/d.yaml\ndata 3\né\n\nM 100644 ce01 s/web/o.yaml\n\n" +
        "commit refs/gimlet/work\nmark :2\nauthor bot <bot@x> 1000 +0000\ncommitter bot <bot@x> 1000 +0000\ndata 4\ntwo\n\nD s/.gimlet/lock.json\n\ndone\n",
    );
  });
});

describe("gitops release records and messages", () => {
  test("a Gimlet record (no created, numeric fields in version) is read leniently", () => {
    const legacy = JSON.stringify({
      app: "web",
      env: "staging",
      artifactId: "x",
      triggeredBy: "policy",
      version: { sha: "abc", created: 1700000000, prNumber: 3 },
      gitopsRef: "r",
    });
    expect(parseStoredRelease(legacy, { app: "web", env: "staging" })).toEqual({
      app: "web",
      env: "staging",
      artifactId: "x",
      triggeredBy: "policy",
      version: { sha: "abc", created: 1700000000, prNumber: 3 },
    });
    expect(
      parseStoredRelease(JSON.stringify({ version: {}, created: 1700000000 }), { app: "a", env: "e" }),
    ).toMatchObject({ app: "a", env: "e", created: "2023-11-14T22:13:20.000Z" });
    expect(parseStoredRelease("[]", { app: "a", env: "e" })).toBeUndefined();
    expect(parseStoredRelease("{", { app: "a", env: "e" })).toBeUndefined();
  });

  test("messages carry the subject format and trailers, and parse back", () => {
    const deploy = deployMessage(record, undefined);
    expect(deploy).toBe(
      "[gimlet] staging/web deploy 0123456 by policy\n\nGimlet-Artifact: acme-web-1\nGimlet-Repository: acme/web\nGimlet-Ref: 0123456789abcdef\nGimlet-Deployment: acme/web#7\n",
    );
    // commit first (DESIGN §7): a release made without a deployment id is linked by repository and sha alone
    const { deployment: _deployment, ...withoutDeployment } = record;
    expect(
      deployMessage({ ...withoutDeployment, version: { ...record.version, repositoryName: "acme/web" } }, "alice"),
    ).toBe(
      "[gimlet] staging/web deploy 0123456 by alice\n\nGimlet-Artifact: acme-web-1\nGimlet-Repository: acme/web\nGimlet-Ref: 0123456789abcdef\n",
    );
    expect(parseSubject(deploy.split("\n")[0]!)).toEqual({ env: "staging", app: "web", kind: "deploy" });
    const rollback = rollbackMessage(record, "fedcba9876543210fedcba9876543210fedcba98", "bob");
    expect(rollback.split("\n")[0]).toBe("[gimlet] staging/web rollback to fedcba9 by bob");
    expect(deleteMessage("staging", "web", "pr\nclosed").split("\n")[0]).toBe(
      "[gimlet] staging/web delete (pr closed)",
    );
    expect(parseSubject("[Gimlet] staging/web automated deploy")).toBeUndefined();
    expect(parseSubject("[gimlet] staging lock by alice")).toBeUndefined();
  });

  test("rolledBack: a rollback skips newer releases; a skipped rollback doesn't count", () => {
    const e = (gitopsSha: string, type: HistoryEntry["type"] = "deploy", rollbackOf?: string): HistoryEntry => ({
      type,
      env: "s",
      app: "a",
      gitopsSha,
      created: "",
      rolledBack: false,
      ...(rollbackOf ? { rollbackOf } : {}),
    });
    // oldest → newest: d1 d2 r1(→d1) d3 r2(→d2); listed newest first.
    const entries = [e("r2", "rollback", "d2"), e("d3"), e("r1", "rollback", "d1"), e("d2"), e("d1")];
    markRolledBack(entries);
    expect(entries.map((x) => x.rolledBack)).toEqual([false, true, true, false, false]);
  });
});

describe("gitops remotes", () => {
  test("a remote keeps its clone when its token changes; tokens never reach error text", () => {
    const w = new GitopsWriter({ workDir: "/nonexistent-gimlet-work" });
    const a = w.clonePath({ repo: "https://x-access-token:AAA@github.com/acme/gitops.git" });
    expect(w.clonePath({ repo: "https://x-access-token:BBB@github.com/acme/gitops.git" })).toBe(a);
    expect(w.clonePath({ repo: "https://github.com/acme/gitops.git", branch: "other" })).not.toBe(a);
    expect(a).toMatch(/\/gitops\.git-[0-9a-f]{12}$/);
    expect(withoutCredentials("https://x-access-token:AAA@github.com/a/b.git")).toBe("https://github.com/a/b.git");
    expect(redact("fatal: unable to access 'https://x-access-token:AAA@github.com/a/b.git/'")).not.toContain("AAA");
    expect(() => new GitopsWriter({ workDir: "/nonexistent-gimlet-work", author: { name: "x>", email: "y" } })).toThrow(
      ConfigError,
    );
  });
});
