import nock from "nock";
import { CONTENTS_FOLDER_LIMIT } from "../../app/github/branchHistory.js";
import { API, testForge, useNock } from "./helpers.js";

useNock();

const ARTIFACTS = { repository: "acme/gitops", branch: "gimlet-artifacts" };

describe("the artifacts branch's folders and history on GitHub", () => {
  test("a folder is one contents call at the branch", async () => {
    nock(API)
      .get("/repos/acme/gitops/contents/acme%2Fshop%2Fabc")
      .query({ ref: "gimlet-artifacts" })
      .reply(200, [
        { type: "file", name: "b.json", path: "acme/shop/abc/b.json", sha: "2" },
        { type: "file", name: "a.json", path: "acme/shop/abc/a.json", sha: "1" },
      ]);
    expect(await testForge().listBranchFolder(ARTIFACTS, "acme/shop/abc/")).toEqual([
      "acme/shop/abc/a.json",
      "acme/shop/abc/b.json",
    ]);
  });

  test("a missing folder is empty; one at GitHub's 1,000-entry limit is read from the tree instead", async () => {
    const many = Array.from({ length: CONTENTS_FOLDER_LIMIT }, (_, i) => `f${String(i).padStart(4, "0")}.json`);
    nock(API)
      .get("/repos/acme/gitops/contents/acme%2Fshop%2Fnone")
      .query(true)
      .reply(404, { message: "Not Found" })
      .get("/repos/acme/gitops/contents/acme%2Fshop%2Fbig")
      .query(true)
      .reply(
        200,
        many.map((name) => ({ type: "file", name, path: `acme/shop/big/${name}`, sha: "x" })),
      )
      .get("/repos/acme/gitops/git/trees/gimlet-artifacts")
      .query({ recursive: "1" })
      .reply(200, {
        truncated: false,
        tree: [...many, "f1000.json", "sub/deep.json"].map((name) => ({ path: `acme/shop/big/${name}`, type: "blob" })),
      });
    const forge = testForge();
    expect(await forge.listBranchFolder(ARTIFACTS, "acme/shop/none")).toEqual([]);
    const big = await forge.listBranchFolder(ARTIFACTS, "acme/shop/big");
    expect(big).toHaveLength(CONTENTS_FOLDER_LIMIT + 1);
    expect(big).toContain("acme/shop/big/f1000.json");
    expect(big).not.toContain("acme/shop/big/sub/deep.json");
  });

  test("history: one page of the branch's commits under a path, newest first, with their messages", async () => {
    nock(API)
      .get("/repos/acme/gitops/commits")
      .query({ sha: "gimlet-artifacts", path: "acme/shop", per_page: "8", page: "2" })
      .reply(200, [
        { sha: "c2", commit: { message: "[gimlet] artifact b for 1234567\n\nGimlet-Artifact: b" } },
        { sha: "c1", commit: { message: "[gimlet] artifact a for 1234567" } },
      ]);
    expect(await testForge().listBranchCommits(ARTIFACTS, "acme/shop", { perPage: 8, page: 2 })).toEqual([
      { sha: "c2", message: "[gimlet] artifact b for 1234567\n\nGimlet-Artifact: b" },
      { sha: "c1", message: "[gimlet] artifact a for 1234567" },
    ]);
  });

  test("history of a missing branch or an empty repository is empty; other failures are errors", async () => {
    nock(API)
      .get("/repos/acme/gitops/commits")
      .query(true)
      .reply(404, { message: "No commit found for SHA: gimlet-artifacts" })
      .get("/repos/acme/gitops/commits")
      .query(true)
      .reply(409, { message: "Git Repository is empty." })
      .get("/repos/acme/gitops/commits")
      .query(true)
      .reply(403, { message: "Resource not accessible by integration" });
    const forge = testForge();
    const page = { perPage: 10, page: 1 };
    expect(await forge.listBranchCommits(ARTIFACTS, "acme/shop", page)).toEqual([]);
    expect(await forge.listBranchCommits(ARTIFACTS, "acme/shop", page)).toEqual([]);
    await expect(forge.listBranchCommits(ARTIFACTS, "acme/shop", page)).rejects.toThrow(/contents: read/);
  });
});
