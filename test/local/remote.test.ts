import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalGitopsRemote } from "../../app/local/remote.js";

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "gimlet-local-remote-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** git without inherited GIT_* variables, with a test identity. */
function git(cwd: string, args: string[]): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("GIT_")));
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], {
    cwd,
    env,
    stdio: "pipe",
  })
    .toString()
    .trim();
}

test("cloneUrl creates an empty bare repo once (concurrent callers too), and it is clonable and pushable", async () => {
  const remote = new LocalGitopsRemote({ root: join(dir, ".gimlet-local") });
  const urls = await Promise.all([
    remote.cloneUrl("acme/gitops"),
    remote.cloneUrl("acme/gitops"),
    remote.cloneUrl("acme/gitops"),
  ]);
  const bare = join(dir, ".gimlet-local", "gitops", "acme", "gitops.git");
  expect(urls).toEqual([bare, bare, bare]);
  expect(git(bare, ["rev-parse", "--is-bare-repository"])).toBe("true");
  expect(git(bare, ["symbolic-ref", "HEAD"])).toBe("refs/heads/main");

  git(dir, ["clone", "--quiet", urls[0], "work"]);
  const work = join(dir, "work");
  writeFileSync(join(work, "README.md"), "gitops\n");
  git(work, ["add", "README.md"]);
  git(work, ["commit", "--quiet", "-m", "first"]);
  git(work, ["push", "--quiet", "origin", "main"]);
  const sha = git(work, ["rev-parse", "HEAD"]);

  // a second use keeps the repository (and its history)
  expect(await remote.cloneUrl("acme/gitops")).toBe(bare);
  git(dir, ["clone", "--quiet", bare, "again"]);
  expect(readFileSync(join(dir, "again", "README.md"), "utf8")).toBe("gitops\n");
  expect(git(join(dir, "again"), ["rev-parse", "HEAD"])).toBe(sha);
});

test("commit links: file:// by default, the local server's path with linkBase", () => {
  const root = join(dir, ".gimlet-local");
  expect(new LocalGitopsRemote({ root }).commitUrl("acme/gitops", "abc")).toBe(
    `file://${root}/gitops/acme/gitops.git#abc`,
  );
  expect(new LocalGitopsRemote({ root, linkBase: "http://localhost:3000" }).commitUrl("acme/gitops", "abc")).toBe(
    "http://localhost:3000/gitops/acme/gitops/commit/abc",
  );
  expect(existsSync(join(root, "gitops"))).toBe(false);
});

test("repository names that would leave the root are refused", async () => {
  await expect(new LocalGitopsRemote({ root: dir }).cloneUrl("acme/..")).rejects.toThrow(/not a repository name/);
});
