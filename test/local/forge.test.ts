import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalForge, type LocalForgeOptions } from "../../app/local/forge.js";
import { FileStore } from "../../app/local/store.js";
import { NotFound } from "../../shared/errors.js";
import type { CheckRunInput, DeploymentInput } from "../../shared/ports.js";

const REPO = "acme/shop";
const SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
const clock = { now: () => new Date("2026-01-02T03:04:05.000Z") };

let dir: string;
let root: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gimlet-local-forge-"));
  root = join(dir, ".gimlet-local");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const forge = (options: LocalForgeOptions = {}) =>
  new LocalForge({ root, clock, configFile: join(dir, "gimlet.local.yml"), ...options });

const checkRun = (extra: Partial<CheckRunInput> = {}): CheckRunInput => ({
  name: "gimlet",
  headSha: SHA,
  externalId: "art-1",
  status: "completed",
  conclusion: "neutral",
  title: "Artifact",
  summary: "summary",
  text: "{}",
  actions: [{ label: "Deploy to staging", description: "Release to staging", identifier: "deploy:staging" }],
  ...extra,
});

const deployment = (environment = "staging", extra: Partial<DeploymentInput> = {}): DeploymentInput => ({
  ref: SHA,
  environment,
  description: "deploy",
  payload: { artifactId: "art-1", app: "shop" },
  transientEnvironment: false,
  productionEnvironment: false,
  ...extra,
});

test("config comes from gimlet.local.yml for every repository; missing → undefined", async () => {
  expect(await forge().readGimletConfig(REPO)).toBeUndefined();
  writeFileSync(join(dir, "gimlet.local.yml"), "environments: {}\n");
  expect(await forge().readGimletConfig("acme/other")).toEqual({
    text: "environments: {}\n",
    source: join(dir, "gimlet.local.yml"),
  });
});

test("readFile and listFolder read the mapped checkout; unmapped repositories have nothing; paths stay inside", async () => {
  const checkout = join(dir, "shop");
  mkdirSync(join(checkout, ".gimlet"), { recursive: true });
  mkdirSync(join(checkout, ".git"));
  writeFileSync(join(checkout, ".gimlet", "staging.yaml"), "app: shop\n");
  writeFileSync(join(checkout, ".gimlet", "production.yaml"), "app: shop\n");
  const f = forge({ repos: { [REPO]: checkout } });
  expect(await f.readFile(REPO, ".gimlet/staging.yaml", SHA)).toBe("app: shop\n");
  expect(await f.readFile(REPO, ".gimlet/nope.yaml", SHA)).toBeUndefined();
  expect(await f.listFolder(REPO, ".gimlet", SHA)).toEqual([".gimlet/production.yaml", ".gimlet/staging.yaml"]);
  expect(await f.listFolder(REPO, "", SHA)).toEqual([".gimlet"]);
  expect(await f.listFolder(REPO, "missing", SHA)).toEqual([]);
  expect(await f.readFile("acme/other", ".gimlet/staging.yaml", SHA)).toBeUndefined();
  expect(await f.listFolder("acme/other", ".gimlet", SHA)).toEqual([]);
  await expect(f.readFile(REPO, "../secret", SHA)).rejects.toThrow(/not a safe relative path/);
  await expect(f.readFile("acme/../x", "a", SHA)).rejects.toThrow(/not a repository name/);
});

test("check runs round-trip, ids increase, newest first by sha and name", async () => {
  const f = forge();
  const first = await f.createCheckRun(REPO, checkRun());
  const second = await f.createCheckRun(REPO, checkRun({ externalId: "art-2" }));
  await f.createCheckRun(REPO, checkRun({ name: "other" }));
  await f.createCheckRun(REPO, checkRun({ headSha: "0".repeat(40) }));
  expect([first.id, second.id]).toEqual([1, 2]);
  expect(first).toEqual({
    id: 1,
    externalId: "art-1",
    headSha: SHA,
    url: expect.stringMatching(/^file:\/\/.*\/github\/acme\/shop\/check-runs\/1\.json$/),
    title: "Artifact",
    summary: "summary",
    text: "{}",
  });
  await f.updateCheckRun(REPO, 1, { summary: "updated", status: "completed", conclusion: "success" });
  const runs = await f.listCheckRuns(REPO, SHA, "gimlet");
  expect(runs.map((r) => [r.id, r.externalId, r.summary])).toEqual([
    [2, "art-2", "summary"],
    [1, "art-1", "updated"],
  ]);
  expect(await f.listCheckRuns("acme/other", SHA, "gimlet")).toEqual([]);
  await expect(f.updateCheckRun(REPO, 99, { status: "completed" })).rejects.toThrow(NotFound);
  const linked = await forge({ linkBase: "http://localhost:3000/" }).createCheckRun(REPO, checkRun());
  expect(linked.url).toBe("http://localhost:3000/github/acme/shop/check-runs/5");
});

test("check-run output is cut to GitHub's limit like on GitHub", async () => {
  const run = await forge().createCheckRun(REPO, checkRun({ summary: "x".repeat(70_000) }));
  expect(run.summary).toHaveLength(65_535);
  expect(run.summary?.endsWith("…(truncated)")).toBe(true);
});

test("branch files: create, replace, read, list by folder; branches are separate", async () => {
  const f = forge();
  const artifacts = { repository: "acme/gitops", branch: "gimlet-artifacts" };
  await f.putBranchFile(artifacts, "acme/shop/abc/art-1.json", "{1}", "m");
  await f.putBranchFile(artifacts, "acme/shop/abc/art-2.json", "{2}", "m");
  await f.putBranchFile(artifacts, "acme/shopping/x.json", "{x}", "m");
  await f.putBranchFile(artifacts, "acme/shop/abc/art-1.json", "{1b}", "m");
  await f.putBranchFile({ repository: "acme/gitops", branch: "feature/x" }, "acme/shop/abc/art-9.json", "{9}", "m");
  expect(await f.getBranchFile(artifacts, "acme/shop/abc/art-1.json")).toBe("{1b}");
  expect(await f.getBranchFile(artifacts, "acme/shop/abc/none.json")).toBeUndefined();
  expect(await f.listBranchFiles(artifacts, "acme/shop")).toEqual([
    "acme/shop/abc/art-1.json",
    "acme/shop/abc/art-2.json",
  ]);
  expect(await f.listBranchFiles(artifacts, "acme/shop/")).toEqual([
    "acme/shop/abc/art-1.json",
    "acme/shop/abc/art-2.json",
  ]);
  expect(await f.listBranchFiles(artifacts, "")).toHaveLength(3);
  expect(await f.listBranchFiles({ repository: "acme/gitops", branch: "feature/x" }, "acme")).toEqual([
    "acme/shop/abc/art-9.json",
  ]);
  expect(await f.listBranchFiles({ repository: "acme/gitops", branch: "missing" }, "acme")).toEqual([]);
  await expect(f.putBranchFile(artifacts, "../../escape.json", "x", "m")).rejects.toThrow(/not a safe relative path/);
  // atomic writes leave no temp files behind
  expect(readdirSync(join(root, ".tmp"))).toEqual([]);
});

test("deployments and statuses round-trip; a success marks the earlier success inactive (GitHub's auto_inactive)", async () => {
  const f = forge();
  const d1 = await f.createDeployment(REPO, deployment());
  const d2 = await f.createDeployment(REPO, deployment());
  const other = await f.createDeployment(REPO, deployment("staging/other"));
  expect([d1.id, d2.id, other.id]).toEqual([1, 2, 3]);
  expect(d1).toEqual({
    id: 1,
    repository: REPO,
    ref: SHA,
    sha: SHA,
    environment: "staging",
    payload: { artifactId: "art-1", app: "shop" },
    createdAt: "2026-01-02T03:04:05.000Z",
    url: expect.stringMatching(/^file:\/\/.*\/deployments\/1\.json$/),
  });
  expect(await f.getDeployment(REPO, 1)).toEqual(d1);
  expect(await f.getDeployment(REPO, 42)).toBeUndefined();

  await f.createDeploymentStatus(REPO, 1, { state: "queued" });
  await f.createDeploymentStatus(REPO, 1, { state: "success", environmentUrl: "https://shop.staging" });
  await f.createDeploymentStatus(REPO, 3, { state: "success" });
  await f.createDeploymentStatus(REPO, 2, {
    state: "in_progress",
    logUrl: "file:///x#abc",
    description: "d".repeat(200),
  });
  await f.createDeploymentStatus(REPO, 2, { state: "success" });

  const s1 = await f.listDeploymentStatuses(REPO, 1);
  expect(s1.map((s) => s.state)).toEqual(["inactive", "success", "queued"]);
  expect(s1[1]).toEqual({
    id: 2,
    state: "success",
    environmentUrl: "https://shop.staging",
    createdAt: "2026-01-02T03:04:05.000Z",
  });
  const s2 = await f.listDeploymentStatuses(REPO, 2);
  expect(s2.map((s) => s.state)).toEqual(["success", "in_progress"]);
  expect(s2[1]!.description).toBe(`${"d".repeat(139)}…`);
  expect((await f.listDeploymentStatuses(REPO, 3)).map((s) => s.state)).toEqual(["success"]);
  expect(await f.listDeploymentStatuses(REPO, 42)).toEqual([]);
  await expect(f.createDeploymentStatus(REPO, 42, { state: "queued" })).rejects.toThrow(NotFound);
});

test("a restarted LocalForge on the same root finds everything and continues the ids", async () => {
  const before = forge();
  const run = await before.createCheckRun(REPO, checkRun());
  const dep = await before.createDeployment(REPO, deployment());
  await before.createDeploymentStatus(REPO, dep.id, { state: "queued" });
  await before.putBranchFile({ repository: "acme/gitops", branch: "b" }, "a/b.json", "{}", "m");

  const after = forge();
  expect(await after.listCheckRuns(REPO, SHA, "gimlet")).toEqual([run]);
  expect(await after.getDeployment(REPO, dep.id)).toEqual(dep);
  expect((await after.listDeploymentStatuses(REPO, dep.id)).map((s) => s.state)).toEqual(["queued"]);
  expect(await after.getBranchFile({ repository: "acme/gitops", branch: "b" }, "a/b.json")).toBe("{}");
  expect((await after.createCheckRun(REPO, checkRun())).id).toBe(run.id + 1);
  expect((await after.createDeployment(REPO, deployment())).id).toBe(dep.id + 1);
});

test("concurrent writers get distinct ids and lose no status", async () => {
  const a = forge();
  const b = forge();
  const deployments = await Promise.all(
    Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).createDeployment(REPO, deployment())),
  );
  expect(new Set(deployments.map((d) => d.id)).size).toBe(20);
  expect(deployments.map((d) => d.id).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      (i % 2 ? a : b).createDeploymentStatus(REPO, 1, { state: "in_progress", description: `${i}` }),
    ),
  );
  const statuses = await a.listDeploymentStatuses(REPO, 1);
  expect(statuses).toHaveLength(10);
  expect(new Set(statuses.map((s) => s.description)).size).toBe(10);
});

test("the store refuses paths that leave its root", () => {
  const store = new FileStore(root);
  expect(() => store.path("../x")).toThrow(/leaves the local store/);
  expect(() => store.path("/etc/passwd")).toThrow(/leaves the local store/);
  expect(store.path("a/b.json")).toBe(join(root, "a", "b.json"));
});

test("branch folders and history: a folder's own files; the files under a path, newest write first, paged", async () => {
  const f = forge();
  const artifacts = { repository: "acme/gitops", branch: "gimlet-artifacts" };
  await f.putBranchFile(artifacts, "acme/shop/abc/art-1.json", "{1}", "m");
  await f.putBranchFile(artifacts, "acme/shop/abc/deeper/x.json", "{x}", "m");
  await f.putBranchFile(artifacts, "acme/shop/def/art-2.json", "{2}", "m");
  await f.putBranchFile(artifacts, "acme/shopping/art-3.json", "{3}", "m");
  // the last write, whatever the file system's clock resolution
  const later = new Date(Date.now() + 60_000);
  utimesSync(join(root, "branches/acme/gitops/gimlet-artifacts/acme/shop/def/art-2.json"), later, later);
  expect(await f.listBranchFolder(artifacts, "acme/shop/abc")).toEqual(["acme/shop/abc/art-1.json"]);
  expect(await f.listBranchFolder(artifacts, "acme/shop/none")).toEqual([]);
  const first = await f.listBranchCommits(artifacts, "acme/shop", { perPage: 1, page: 1 });
  expect(first).toEqual([{ sha: "", message: "", paths: ["acme/shop/def/art-2.json"] }]);
  const all = await f.listBranchCommits(artifacts, "acme/shop", { perPage: 10, page: 1 });
  expect(all.flatMap((c) => c.paths)).toEqual(
    expect.arrayContaining(["acme/shop/def/art-2.json", "acme/shop/abc/art-1.json", "acme/shop/abc/deeper/x.json"]),
  );
  expect(all).toHaveLength(3); // acme/shopping is another folder
  expect(await f.listBranchCommits(artifacts, "acme/shop", { perPage: 10, page: 2 })).toEqual([]);
  expect(await f.listBranchCommits({ ...artifacts, branch: "missing" }, "acme/shop", { perPage: 10, page: 1 })).toEqual(
    [],
  );
});
