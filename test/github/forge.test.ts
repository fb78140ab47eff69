import nock from "nock";
import { ForgePermissionError } from "../../app/github/errors.js";
import { CHECK_OUTPUT_LIMIT, TRUNCATED_MARKER } from "../../app/github/limits.js";
import { Conflict, NotFound, Transient } from "../../shared/errors.js";
import { API, capture, REPO, testForge, useNock } from "./helpers.js";

useNock();

/** The contents API's JSON answer for a file. */
const file = (path: string, text: string) => ({
  type: "file",
  path,
  sha: `blob-${path}`,
  encoding: "base64",
  content: Buffer.from(text).toString("base64"),
});
const SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

describe("config and files", () => {
  test("readGimletConfig reads the repository's .github/gimlet.yml", async () => {
    nock(API)
      .get(`/repos/${REPO}/contents/.github%2Fgimlet.yml`)
      .reply(200, file(".github/gimlet.yml", "environments: {}\n"));
    expect(await testForge().readGimletConfig(REPO)).toEqual({
      text: "environments: {}\n",
      source: "acme/shop:.github/gimlet.yml",
    });
  });

  test("readGimletConfig falls back to .github/gimlet.yml in the owner's .github repository", async () => {
    nock(API)
      .get(`/repos/${REPO}/contents/.github%2Fgimlet.yml`)
      .reply(404, { message: "Not Found" })
      .get("/repos/acme/.github/contents/.github%2Fgimlet.yml")
      .reply(200, file(".github/gimlet.yml", "environments: {staging: {}}\n"));
    expect(await testForge().readGimletConfig(REPO)).toEqual({
      text: "environments: {staging: {}}\n",
      source: "acme/.github:.github/gimlet.yml",
    });
  });

  test("readGimletConfig is undefined when neither has one; the .github repo itself is asked once", async () => {
    nock(API)
      .get(`/repos/${REPO}/contents/.github%2Fgimlet.yml`)
      .reply(404, { message: "Not Found" })
      .get("/repos/acme/.github/contents/.github%2Fgimlet.yml")
      .times(2)
      .reply(404, { message: "Not Found" });
    const forge = testForge();
    expect(await forge.readGimletConfig(REPO)).toBeUndefined();
    expect(await forge.readGimletConfig("acme/.github")).toBeUndefined();
  });

  test("readFile reads at a ref; 404 → undefined", async () => {
    nock(API)
      .get(`/repos/${REPO}/contents/.gimlet%2Fstaging.yaml`)
      .query({ ref: SHA })
      .reply(200, file(".gimlet/staging.yaml", "app: shop\n"))
      .get(`/repos/${REPO}/contents/.gimlet%2Fnope.yaml`)
      .query({ ref: SHA })
      .reply(404, { message: "Not Found" });
    const forge = testForge();
    expect(await forge.readFile(REPO, ".gimlet/staging.yaml", SHA)).toBe("app: shop\n");
    expect(await forge.readFile(REPO, ".gimlet/nope.yaml", SHA)).toBeUndefined();
  });

  test("listFolder lists repository-relative paths; a missing folder is empty", async () => {
    nock(API)
      .get(`/repos/${REPO}/contents/.gimlet`)
      .query({ ref: SHA })
      .reply(200, [
        { type: "file", name: "staging.yaml", path: ".gimlet/staging.yaml", sha: "a" },
        { type: "dir", name: "extra", path: ".gimlet/extra", sha: "b" },
        { type: "file", name: "production.yaml", path: ".gimlet/production.yaml", sha: "c" },
      ])
      .get(`/repos/${REPO}/contents/.gimlet`)
      .query({ ref: "other" })
      .reply(404, { message: "Not Found" });
    const forge = testForge();
    expect(await forge.listFolder(REPO, ".gimlet", SHA)).toEqual([
      ".gimlet/extra",
      ".gimlet/production.yaml",
      ".gimlet/staging.yaml",
    ]);
    expect(await forge.listFolder(REPO, ".gimlet", "other")).toEqual([]);
  });
});

describe("check runs", () => {
  const checkRunReply = (id: number, extra: object = {}) => ({
    id,
    external_id: `art-${id}`,
    head_sha: SHA,
    html_url: `https://github.com/${REPO}/runs/${id}`,
    output: { title: "Artifact", summary: "s", text: "t" },
    ...extra,
  });

  test("createCheckRun sends the whole body, actions included, and cuts long output with a marker", async () => {
    const sent = capture();
    nock(API).post(`/repos/${REPO}/check-runs`, sent.match).reply(201, checkRunReply(7));
    const long = "x".repeat(CHECK_OUTPUT_LIMIT + 10);
    const run = await testForge().createCheckRun(REPO, {
      name: "gimlet",
      headSha: SHA,
      externalId: "art-7",
      status: "completed",
      conclusion: "neutral",
      detailsUrl: "https://gimlet.example/artifacts/art-7",
      title: "Artifact art-7",
      summary: long,
      text: "{}",
      actions: [
        { label: "Deploy to staging", description: "Release this artifact to staging", identifier: "deploy:staging" },
      ],
    });
    expect(sent.bodies).toEqual([
      {
        name: "gimlet",
        head_sha: SHA,
        external_id: "art-7",
        status: "completed",
        conclusion: "neutral",
        details_url: "https://gimlet.example/artifacts/art-7",
        output: {
          title: "Artifact art-7",
          summary: "x".repeat(CHECK_OUTPUT_LIMIT - TRUNCATED_MARKER.length) + TRUNCATED_MARKER,
          text: "{}",
        },
        actions: [
          { label: "Deploy to staging", description: "Release this artifact to staging", identifier: "deploy:staging" },
        ],
      },
    ]);
    const summary = (sent.bodies[0] as { output: { summary: string } }).output.summary;
    expect(summary).toHaveLength(CHECK_OUTPUT_LIMIT);
    expect(summary.endsWith("…(truncated)")).toBe(true);
    expect(run).toEqual({
      id: 7,
      externalId: "art-7",
      headSha: SHA,
      url: `https://github.com/${REPO}/runs/7`,
      title: "Artifact",
      summary: "s",
      text: "t",
    });
  });

  test("updateCheckRun patches only what it is given; a summary alone reads the title first", async () => {
    const sent = capture();
    nock(API)
      .patch(`/repos/${REPO}/check-runs/7`, sent.match)
      .reply(200, checkRunReply(7))
      .get(`/repos/${REPO}/check-runs/7`)
      .reply(200, checkRunReply(7, { output: { title: "Old title", summary: "old", text: "old text" } }))
      .patch(`/repos/${REPO}/check-runs/7`, sent.match)
      .reply(200, checkRunReply(7));
    const forge = testForge();
    await forge.updateCheckRun(REPO, 7, { status: "completed", conclusion: "success" });
    await forge.updateCheckRun(REPO, 7, { summary: "new summary", headSha: "ignored" });
    expect(sent.bodies).toEqual([
      { status: "completed", conclusion: "success" },
      { output: { title: "Old title", summary: "new summary" } },
    ]);
  });

  test("listCheckRuns asks for every run with the name, newest first; an unknown commit → []", async () => {
    nock(API)
      .get(`/repos/${REPO}/commits/${SHA}/check-runs`)
      .query({ check_name: "gimlet", filter: "all", per_page: "100" })
      .reply(200, {
        total_count: 2,
        check_runs: [checkRunReply(3), checkRunReply(9, { output: { title: "T", summary: null, text: null } })],
      })
      .get(`/repos/${REPO}/commits/0000000/check-runs`)
      .query(true)
      .reply(422, { message: "No commit found for SHA: 0000000" });
    const forge = testForge();
    const runs = await forge.listCheckRuns(REPO, SHA, "gimlet");
    expect(runs.map((r) => r.id)).toEqual([9, 3]);
    expect(runs[0]).toEqual({
      id: 9,
      externalId: "art-9",
      headSha: SHA,
      url: `https://github.com/${REPO}/runs/9`,
      title: "T",
      summary: undefined,
      text: undefined,
    });
    expect(await forge.listCheckRuns(REPO, "0000000", "gimlet")).toEqual([]);
  });
});

describe("deployments", () => {
  const deploymentReply = {
    id: 55,
    ref: SHA,
    sha: SHA,
    environment: "staging/shop",
    payload: { artifactId: "a1" },
    created_at: "2026-01-02T03:04:05Z",
  };

  test("createDeployment never auto-merges nor waits on contexts", async () => {
    const sent = capture();
    nock(API).post(`/repos/${REPO}/deployments`, sent.match).reply(201, deploymentReply);
    const deployment = await testForge().createDeployment(REPO, {
      ref: SHA,
      environment: "staging/shop",
      description: "deploy shop to staging",
      payload: { artifactId: "a1" },
      transientEnvironment: false,
      productionEnvironment: true,
    });
    expect(sent.bodies).toEqual([
      {
        ref: SHA,
        environment: "staging/shop",
        description: "deploy shop to staging",
        payload: { artifactId: "a1" },
        auto_merge: false,
        required_contexts: [],
        transient_environment: false,
        production_environment: true,
      },
    ]);
    expect(deployment).toEqual({
      id: 55,
      repository: REPO,
      ref: SHA,
      sha: SHA,
      environment: "staging/shop",
      payload: { artifactId: "a1" },
      createdAt: "2026-01-02T03:04:05Z",
      url: `https://github.com/${REPO}/deployments/staging%2Fshop`,
    });
  });

  test("a 202 (GitHub merged instead of deploying) is a Conflict", async () => {
    nock(API).post(`/repos/${REPO}/deployments`).reply(202, { message: "Auto-merged main into topic on deployment." });
    const input = {
      ref: "topic",
      environment: "pr-1",
      description: "",
      payload: {},
      transientEnvironment: true,
      productionEnvironment: false,
    };
    await expect(testForge().createDeployment(REPO, input)).rejects.toThrow(Conflict);
  });

  test("getDeployment maps a JSON-string payload; 404 → undefined", async () => {
    nock(API)
      .get(`/repos/${REPO}/deployments/55`)
      .reply(200, { ...deploymentReply, payload: '{"app":"shop"}' })
      .get(`/repos/${REPO}/deployments/56`)
      .reply(404, { message: "Not Found" });
    const forge = testForge();
    expect((await forge.getDeployment(REPO, 55))?.payload).toEqual({ app: "shop" });
    expect(await forge.getDeployment(REPO, 56)).toBeUndefined();
  });

  test("createDeploymentStatus sends state, urls and a description cut to 140 characters, keeping auto_inactive's default", async () => {
    const sent = capture();
    nock(API).post(`/repos/${REPO}/deployments/55/statuses`, sent.match).times(2).reply(201, { id: 1 });
    const forge = testForge();
    await forge.createDeploymentStatus(REPO, 55, {
      state: "in_progress",
      description: "d".repeat(200),
      logUrl: "https://github.com/acme/gitops/commit/abc",
      environmentUrl: "https://shop.staging.acme.dev",
    });
    await forge.createDeploymentStatus(REPO, 55, { state: "queued" });
    expect(sent.bodies).toEqual([
      {
        state: "in_progress",
        description: `${"d".repeat(139)}…`,
        log_url: "https://github.com/acme/gitops/commit/abc",
        environment_url: "https://shop.staging.acme.dev",
      },
      { state: "queued" },
    ]);
  });

  test("listDeploymentStatuses is newest first, empty fields left out", async () => {
    nock(API)
      .get(`/repos/${REPO}/deployments/55/statuses`)
      .query({ per_page: "100" })
      .reply(200, [
        {
          id: 1,
          state: "queued",
          description: "",
          log_url: "",
          environment_url: "",
          created_at: "2026-01-01T00:00:00Z",
        },
        {
          id: 2,
          state: "success",
          description: "healthy",
          log_url: "https://l",
          environment_url: "https://e",
          created_at: "2026-01-01T00:01:00Z",
        },
      ]);
    expect(await testForge().listDeploymentStatuses(REPO, 55)).toEqual([
      {
        id: 2,
        state: "success",
        description: "healthy",
        logUrl: "https://l",
        environmentUrl: "https://e",
        createdAt: "2026-01-01T00:01:00Z",
      },
      { id: 1, state: "queued", createdAt: "2026-01-01T00:00:00Z" },
    ]);
  });
});

describe("errors", () => {
  const input = { name: "gimlet", headSha: SHA, externalId: "a", status: "queued" as const, title: "t", summary: "s" };

  test("403 names the permission the app lacks", async () => {
    nock(API).post(`/repos/${REPO}/check-runs`).reply(403, { message: "Resource not accessible by integration" });
    const error = await testForge()
      .createCheckRun(REPO, input)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForgePermissionError);
    expect((error as Error).message).toMatch(/^the app needs checks: write on acme\/shop/);
    expect((error as Error).message).toMatch(/Resource not accessible by integration/);
  });

  test("5xx, rate limits and network failures are Transient", async () => {
    nock(API)
      .post(`/repos/${REPO}/check-runs`)
      .reply(502, { message: "Bad Gateway" })
      .post(`/repos/${REPO}/check-runs`)
      .reply(403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0" })
      .post(`/repos/${REPO}/check-runs`)
      .replyWithError("socket hang up");
    const forge = testForge();
    await expect(forge.createCheckRun(REPO, input)).rejects.toThrow(Transient);
    await expect(forge.createCheckRun(REPO, input)).rejects.toThrow(Transient);
    await expect(forge.createCheckRun(REPO, input)).rejects.toThrow(Transient);
  });

  test("404 on a write is NotFound (repository missing or the app not installed)", async () => {
    nock(API).patch(`/repos/${REPO}/check-runs/1`).reply(404, { message: "Not Found" });
    await expect(testForge().updateCheckRun(REPO, 1, { status: "in_progress" })).rejects.toThrow(NotFound);
  });
});
