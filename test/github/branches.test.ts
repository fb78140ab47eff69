import nock from "nock";
import { API, capture, testForge, useNock } from "./helpers.js";

useNock();

const ARTIFACTS = { repository: "acme/gitops", branch: "gimlet-artifacts" };
const FILE = "acme/shop/abc123/art-1.json";
const FILE_URL = "/repos/acme/gitops/contents/acme%2Fshop%2Fabc123%2Fart-1.json";
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

describe("artifact branch files", () => {
  test("a new file is one PUT without sha and without a read first", async () => {
    const sent = capture();
    nock(API)
      .put(FILE_URL, sent.match)
      .reply(201, { content: { sha: "new" } });
    await testForge().putBranchFile(ARTIFACTS, FILE, '{"id":"art-1"}', "artifact art-1");
    expect(sent.bodies).toEqual([
      { branch: "gimlet-artifacts", message: "artifact art-1", content: b64('{"id":"art-1"}') },
    ]);
  });

  test("replacing a file reads its sha after GitHub asks for it; unchanged content makes no commit", async () => {
    const sent = capture();
    const existing = { type: "file", path: FILE, sha: "blob1", encoding: "base64", content: b64("old") };
    const shaMissing = { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' };
    nock(API)
      .put(FILE_URL, sent.match)
      .reply(422, shaMissing)
      .get(FILE_URL)
      .query({ ref: "gimlet-artifacts" })
      .reply(200, existing)
      .put(FILE_URL, sent.match)
      .reply(200, { content: { sha: "blob2" } })
      .put(FILE_URL, sent.match)
      .reply(422, shaMissing)
      .get(FILE_URL)
      .query({ ref: "gimlet-artifacts" })
      .reply(200, { ...existing, content: b64("new") });
    const forge = testForge();
    await forge.putBranchFile(ARTIFACTS, FILE, "new", "update");
    await forge.putBranchFile(ARTIFACTS, FILE, "new", "update again");
    expect(sent.bodies).toEqual([
      { branch: "gimlet-artifacts", message: "update", content: b64("new") },
      { branch: "gimlet-artifacts", message: "update", content: b64("new"), sha: "blob1" },
      { branch: "gimlet-artifacts", message: "update again", content: b64("new") },
    ]);
  });

  test("the first artifact creates the branch from the default branch head, then retries", async () => {
    const puts = capture();
    const refs = capture();
    nock(API)
      .put(FILE_URL, puts.match)
      .reply(404, { message: "Branch gimlet-artifacts not found" })
      .get("/repos/acme/gitops")
      .reply(200, { default_branch: "trunk" })
      .get("/repos/acme/gitops/git/ref/heads%2Ftrunk")
      .reply(200, { ref: "refs/heads/trunk", object: { sha: "base123", type: "commit" } })
      .post("/repos/acme/gitops/git/refs", refs.match)
      .reply(201, { ref: "refs/heads/gimlet-artifacts", object: { sha: "base123" } })
      .put(FILE_URL, puts.match)
      .reply(201, { content: { sha: "new" } });
    await testForge().putBranchFile(ARTIFACTS, FILE, "{}", "artifact");
    expect(refs.bodies).toEqual([{ ref: "refs/heads/gimlet-artifacts", sha: "base123" }]);
    expect(puts.bodies).toHaveLength(2);
    expect(puts.bodies[1]).toEqual({ branch: "gimlet-artifacts", message: "artifact", content: b64("{}") });
  });

  test("a 422 'Branch not found' and a lost branch-creation race are handled too", async () => {
    const scope = nock(API)
      .put(FILE_URL)
      .reply(422, { message: "Branch gimlet-artifacts not found" })
      .get("/repos/acme/gitops")
      .reply(200, { default_branch: "main" })
      .get("/repos/acme/gitops/git/ref/heads%2Fmain")
      .reply(200, { object: { sha: "base123" } })
      .post("/repos/acme/gitops/git/refs")
      .reply(422, { message: "Reference already exists" })
      .put(FILE_URL)
      .reply(201, {});
    await testForge().putBranchFile(ARTIFACTS, FILE, "{}", "artifact");
    expect(scope.isDone()).toBe(true);
  });

  test("a 409 (the file moved) reads the sha and retries", async () => {
    const sent = capture();
    const file = (sha: string) => ({ type: "file", path: FILE, sha, encoding: "base64", content: b64("old") });
    nock(API)
      .put(FILE_URL, sent.match)
      .reply(409, { message: "is at s2 but expected s1" })
      .get(FILE_URL)
      .query(true)
      .reply(200, file("s2"))
      .put(FILE_URL, sent.match)
      .reply(200, {});
    await testForge().putBranchFile(ARTIFACTS, FILE, "new", "m");
    expect(sent.bodies.map((b) => (b as { sha?: string }).sha)).toEqual([undefined, "s2"]);
  });

  test("a file another writer keeps moving (422 sha, then 409s) is retried with its sha; attempts are bounded", async () => {
    const sent = capture();
    const file = { type: "file", path: FILE, sha: "s1", encoding: "base64", content: b64("theirs") };
    nock(API)
      .put(FILE_URL, sent.match)
      .reply(422, { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' })
      .get(FILE_URL)
      .query(true)
      .times(2)
      .reply(200, file)
      .put(FILE_URL, sent.match)
      .times(2)
      .reply(409, { message: "is at s2 but expected s1" });
    await expect(testForge().putBranchFile(ARTIFACTS, FILE, "mine", "m")).rejects.toThrow(/is at s2/);
    expect(sent.bodies.map((b) => (b as { sha?: string }).sha)).toEqual([undefined, "s1", "s1"]);
  });

  test("getBranchFile decodes the file at the branch (a JSON file stays text); missing → undefined", async () => {
    nock(API)
      .get(FILE_URL)
      .query({ ref: "gimlet-artifacts" })
      .reply(200, { type: "file", path: FILE, sha: "b1", encoding: "base64", content: b64('{"id":"art-1"}') })
      .get(FILE_URL)
      .query({ ref: "gimlet-artifacts" })
      .reply(404, { message: "Not Found" });
    const forge = testForge();
    expect(await forge.getBranchFile(ARTIFACTS, FILE)).toBe('{"id":"art-1"}');
    expect(await forge.getBranchFile(ARTIFACTS, FILE)).toBeUndefined();
  });

  test("a file over 1 MB (no inline content) is read as a git blob", async () => {
    nock(API)
      .get(FILE_URL)
      .query(true)
      .reply(200, { type: "file", path: FILE, sha: "big1", encoding: "none", content: "" })
      .get("/repos/acme/gitops/git/blobs/big1")
      .reply(200, { sha: "big1", encoding: "base64", content: b64("big") });
    expect(await testForge().getBranchFile(ARTIFACTS, FILE)).toBe("big");
  });

  test("listBranchFiles filters the recursive tree by folder; a missing branch → []", async () => {
    nock(API)
      .get("/repos/acme/gitops/git/trees/gimlet-artifacts")
      .query({ recursive: "1" })
      .reply(200, {
        truncated: false,
        tree: [
          { path: "acme", type: "tree", sha: "t1" },
          { path: "acme/shop", type: "tree", sha: "t2" },
          { path: "acme/shop/abc123/art-2.json", type: "blob", sha: "b2" },
          { path: "acme/shop/abc123/art-1.json", type: "blob", sha: "b1" },
          { path: "acme/shopping/x.json", type: "blob", sha: "b3" },
        ],
      })
      .get("/repos/acme/gitops/git/trees/gimlet-artifacts")
      .query({ recursive: "1" })
      .reply(404, { message: "Not Found" });
    const forge = testForge();
    expect(await forge.listBranchFiles(ARTIFACTS, "acme/shop/")).toEqual([
      "acme/shop/abc123/art-1.json",
      "acme/shop/abc123/art-2.json",
    ]);
    expect(await forge.listBranchFiles(ARTIFACTS, "acme/shop")).toEqual([]);
  });

  test("a truncated tree is walked folder by folder", async () => {
    nock(API)
      .get("/repos/acme/gitops/git/trees/gimlet-artifacts")
      .query({ recursive: "1" })
      .reply(200, { truncated: true, tree: [] })
      .get("/repos/acme/gitops/git/trees/gimlet-artifacts")
      .reply(200, {
        truncated: false,
        tree: [
          { path: "README.md", type: "blob" },
          { path: "acme", type: "tree", sha: "t1" },
          { path: "other", type: "tree", sha: "t9" },
        ],
      })
      .get("/repos/acme/gitops/git/trees/t1")
      .query({ recursive: "1" })
      .reply(200, {
        truncated: false,
        tree: [
          { path: "shop", type: "tree", sha: "t2" },
          { path: "shop/a.json", type: "blob", sha: "b" },
        ],
      });
    expect(await testForge().listBranchFiles(ARTIFACTS, "acme")).toEqual(["acme/shop/a.json"]);
  });
});
