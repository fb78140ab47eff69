import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { GitHubForge } from "../../app/github/forge.js";
import { installationOctokitFactory } from "../../app/github/octokit.js";
import { GitHubGitopsRemote } from "../../app/github/remote.js";
import { NotFound } from "../../shared/errors.js";
import { API, testOctokit, useNock } from "./helpers.js";

useNock();

const privateKey = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

/** A fresh Probot per test: installation tokens are cached per instance (STACK T5); throttling off (T4). */
function newProbot(): Probot {
  return new Probot({
    appId: 123,
    privateKey,
    logLevel: "fatal",
    Octokit: ProbotOctokit.defaults((opts: Record<string, any>) => ({
      ...opts,
      retry: { enabled: false },
      throttle: { ...opts.throttle, enabled: false },
    })),
  });
}

const file = (text: string) => ({
  type: "file",
  path: "f",
  sha: "s",
  encoding: "base64",
  content: Buffer.from(text).toString("base64"),
});

describe("installationOctokitFactory", () => {
  test("looks the installation up once per owner (an app is installed once per account), then uses its token", async () => {
    nock(API)
      .get("/repos/acme/shop/installation")
      .matchHeader("authorization", /^bearer /i)
      .reply(200, { id: 42 })
      .post("/app/installations/42/access_tokens")
      .reply(201, { token: "ghs_inst", expires_at: "2099-01-01T00:00:00Z" })
      .get("/repos/acme/shop/contents/a.txt")
      .query(true)
      .times(2)
      .matchHeader("authorization", "token ghs_inst")
      .reply(200, file("hello"))
      .get("/repos/bigco/api/installation")
      .reply(200, { id: 43 })
      .post("/app/installations/43/access_tokens")
      .reply(201, { token: "ghs_other", expires_at: "2099-01-01T00:00:00Z" });
    const octokitFor = installationOctokitFactory(newProbot());
    const forge = new GitHubForge(octokitFor);
    expect(await forge.readFile("acme/shop", "a.txt", "main")).toBe("hello");
    expect(await forge.readFile("acme/shop", "a.txt", "main")).toBe("hello");
    // another repository of the same owner: no lookup, the same octokit; another owner: its own installation
    expect(await octokitFor("acme/other")).toBe(await octokitFor("acme/shop"));
    expect(await octokitFor("bigco/api")).not.toBe(await octokitFor("acme/shop"));
    const basic = (token: string) =>
      `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
    expect((await new GitHubGitopsRemote(octokitFor).gitEnv("bigco/api")).GIT_CONFIG_VALUE_0).toBe(basic("ghs_other"));
    const remote = new GitHubGitopsRemote(octokitFor);
    expect(await remote.cloneUrl("acme/shop")).toBe("https://github.com/acme/shop.git");
    expect((await remote.gitEnv("acme/shop")).GIT_CONFIG_VALUE_0).toBe(basic("ghs_inst"));
  });

  test("a repository without the app is NotFound, and the failure is not cached", async () => {
    nock(API).get("/repos/acme/nope/installation").times(2).reply(404, { message: "Not Found" });
    const octokitFor = installationOctokitFactory(newProbot());
    await expect(octokitFor("acme/nope")).rejects.toThrow(NotFound);
    await expect(octokitFor("acme/nope")).rejects.toThrow(/not installed/);
  });

  test("names that are not owner/repo are refused before any request", async () => {
    const octokitFor = installationOctokitFactory(newProbot());
    await expect(octokitFor("acme/../x")).rejects.toThrow(/not a repository name/);
  });
});

describe("GitHubGitopsRemote", () => {
  test("clone URL without credentials; the token goes per command in git's environment; GHES hosts configurable", async () => {
    const octokit = testOctokit();
    const remote = new GitHubGitopsRemote(async () => octokit);
    expect(await remote.cloneUrl("acme/gitops")).toBe("https://github.com/acme/gitops.git");
    expect(await remote.gitEnv("acme/gitops")).toEqual({
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.https://github.com/.extraHeader",
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from("x-access-token:ghs_test").toString("base64")}`,
    });
    expect(remote.commitUrl("acme/gitops", "abc123")).toBe("https://github.com/acme/gitops/commit/abc123");
    const ghes = new GitHubGitopsRemote(async () => octokit, {
      gitBaseUrl: "http://127.0.0.1:9999/git/",
      webBaseUrl: "https://ghe.acme.dev",
    });
    expect(await ghes.cloneUrl("acme/gitops")).toBe("http://127.0.0.1:9999/git/acme/gitops.git");
    expect((await ghes.gitEnv("acme/gitops")).GIT_CONFIG_KEY_0).toBe("http.http://127.0.0.1:9999/git/.extraHeader");
    expect(ghes.commitUrl("acme/gitops", "abc123")).toBe("https://ghe.acme.dev/acme/gitops/commit/abc123");
  });
});
