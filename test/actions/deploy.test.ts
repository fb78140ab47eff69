import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import {
  type CiApp,
  githubJobToken,
  type JobRef,
  runProcess,
  startCiApp,
  startTokenService,
  type TokenService,
} from "../helpers/ciApp.js";
import { loadCiEnv, repoRoot } from "../helpers/ciEnv.js";
import { exampleAppCopy } from "../helpers/cli.js";
import { parseGithubOutput } from "../helpers/githubOutput.js";
import { tempDir } from "../helpers/gitRepos.js";

// The Action as the runner runs it: `node dist/deploy/index.js` (the committed bundle; `npm test` checks it is fresh),
// inputs as INPUT_*, the event payload at GITHUB_EVENT_PATH, outputs and summary as files, the OIDC token from a
// token service on loopback, signed by a key the app trusts.
const bundle = join(repoRoot, "dist", "deploy", "index.js");
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as Array<{
  name: string;
  examples: Array<Record<string, any>>;
}>;
const example = (name: string, pick: (p: Record<string, any>) => boolean) =>
  structuredClone(examples.find((e) => e.name === name)?.examples.find(pick)) as Record<string, any>;

const SHA = "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d";
const PR_HEAD = "9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4938271605";
const MERGE_SHA = "e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5e";

let app: CiApp;
let tokens: TokenService;
let job: JobRef;

beforeAll(async () => {
  app = await startCiApp();
  tokens = await startTokenService((audience) => githubJobToken(app, job, audience));
});
afterAll(async () => {
  await tokens.close();
  await app.close();
});

interface ActionRun {
  code: number;
  log: string;
  outputs: Record<string, string>;
  summary: string;
}

async function runAction(
  fixture: "github-push" | "github-tag" | "github-pr",
  payload: unknown,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
  whileRunning?: () => Promise<void>,
  cwd = exampleAppCopy(),
): Promise<ActionRun & { secrets: string[] }> {
  const dir = tempDir("gimlet-action-run-");
  const eventPath = join(dir, "event.json");
  writeFileSync(eventPath, JSON.stringify(payload));
  const outputFile = join(dir, "output");
  const summaryFile = join(dir, "summary");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  const { env } = loadCiEnv(fixture);
  const secrets = [env.GITHUB_TOKEN, env.NPM_TOKEN, env.DOCKER_PASSWORD, env.ACTIONS_RUNTIME_TOKEN].filter(
    (s): s is string => Boolean(s),
  );
  const processEnv: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    ...env,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ACTIONS_ID_TOKEN_REQUEST_URL: tokens.url,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: tokens.requestToken,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...extraEnv,
  };
  const running = runProcess(process.execPath, [bundle], { cwd, env: processEnv });
  if (whileRunning) await whileRunning();
  const result = await running;
  return {
    code: result.code,
    log: result.stdout + result.stderr,
    outputs: parseGithubOutput(readFileSync(outputFile, "utf8")),
    summary: readFileSync(summaryFile, "utf8"),
    secrets,
  };
}

function expectNoSecrets(run: ActionRun & { secrets: string[] }) {
  for (const secret of run.secrets) {
    expect(run.log).not.toContain(secret);
    expect(run.summary).not.toContain(secret);
    expect(JSON.stringify(run.outputs)).not.toContain(secret);
  }
  // the OIDC token is only ever printed as the runner's mask command, which the runner swallows
  const jwts = run.log.split("\n").filter((line) => /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./.test(line));
  expect(jwts.every((line) => line.startsWith("::add-mask::"))).toBe(true);
}

describe("the Action bundle, run as the runner runs it, against the app on loopback", () => {
  test("push to main: OIDC token, artifact from the push payload, policy releases to staging, outputs and summary", async () => {
    job = { repository: "acme/shop", event: "push", branch: "main" };
    const payload = example("push", (p) => p.ref === "refs/heads/master" && p.head_commit);
    Object.assign(payload, { ref: "refs/heads/main", after: SHA });
    payload.head_commit.id = SHA;
    payload.head_commit.message = "Cache product images";
    const run = await runAction("github-push", payload, {
      server: app.url,
      vars: "IMAGE_TAG=abc123\nREGION=eu-west-1",
    });
    expect(run.log).not.toMatch(/::error::/);
    expect(run.code).toBe(0);
    expect(tokens.asked.at(-1)).toBe("gimlet");
    expect(run.outputs["artifact-id"]).toMatch(/^acme-shop-[0-9A-Z]{26}-[0-9a-f]{40}$/);
    const decisions = JSON.parse(run.outputs.decisions as string) as Array<{
      env: string;
      app: string;
      deploy: boolean;
    }>;
    expect(decisions.filter((d) => d.deploy).map((d) => `${d.env}/${d.app}`)).toEqual([
      "staging/shop",
      "staging/shop-worker",
    ]);
    expect(run.outputs["deployment-url"]).toMatch(/./);
    expect(run.summary).toContain(
      `Artifact \`${run.outputs["artifact-id"]}\` for \`acme/shop@5f2b3c4\`, push to \`main\``,
    );
    expect(run.summary).toMatch(/\| staging \| shop \| ✅ release \|/);
    expectNoSecrets(run);
    // the artifact the app stored is this push's, vars included
    const listed = await fetch(`${app.url}/api/artifacts?repository=acme/shop&sha=${SHA}`, {
      headers: { authorization: `Bearer ${app.server.newToken}` },
    });
    const stored = (await listed.json()) as Array<{
      id: string;
      vars: Record<string, string>;
      version: { message: string };
    }>;
    expect(stored.find((a) => a.id === run.outputs["artifact-id"])).toMatchObject({
      vars: { IMAGE_TAG: "abc123", REGION: "eu-west-1" },
      version: { message: "Cache product images" },
    });
  });

  test("tag: the artifact is a tag artifact; deploy: staging asks for a release; the token is bound to the tag", async () => {
    job = { repository: "acme/shop", event: "tag", tag: "v1.4.0" };
    const payload = example("push", (p) => p.ref === "refs/tags/simple-tag");
    Object.assign(payload, { ref: "refs/tags/v1.4.0", after: SHA });
    const run = await runAction("github-tag", payload, { server: app.url, deploy: "staging", app: "shop" });
    expect(run.code).toBe(0);
    const decisions = JSON.parse(run.outputs.decisions as string) as Array<{
      env: string;
      app: string;
      reasonCode: string;
    }>;
    expect(decisions.map((d) => `${d.env}/${d.app}`)).toContain("production/shop");
    expect(run.log).toContain("staging/shop: release asked for");
    expect(run.summary).toContain("tag `v1.4.0`");
    expectNoSecrets(run);
  });

  test("pull_request: the PR head sha (not the merge commit), head and base branches; wait follows the release until Flux applied it", async () => {
    job = { repository: "acme/shop", event: "pr", branch: "feature/login-form", prNumber: 42, baseBranch: "main" };
    const payload = example("pull_request", (p) => p.action === "opened");
    payload.number = 42;
    Object.assign(payload.pull_request, { number: 42 });
    Object.assign(payload.pull_request.head, { sha: PR_HEAD, ref: "feature/login-form" });
    Object.assign(payload.pull_request.base, { ref: "main" });
    const run = await runAction(
      "github-pr",
      payload,
      { server: app.url, wait: "true", timeout: "15" },
      { GITHUB_SHA: MERGE_SHA },
      async () => {
        // Flux applies the preview's gitops commit once it lands
        const preview = () => app.commits("acme/gitops-staging").find((c) => c.includes("staging/shop-pr-42 deploy"));
        for (let i = 0; i < 200 && !preview(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
        const tip = preview();
        expect(tip).toMatch(/\[gimlet\] staging\/shop-pr-42 deploy 9c8b7a6/);
        expect(await app.fluxApplied("acme/gitops-staging", (tip as string).slice(0, 40), "staging")).toBe(200);
      },
    );
    expect(run.log).not.toMatch(/::error::/);
    expect(run.code).toBe(0);
    const decisions = JSON.parse(run.outputs.decisions as string) as Array<{ app: string; deploy: boolean }>;
    expect(decisions.filter((d) => d.deploy).map((d) => d.app)).toEqual(["shop-pr-42"]);
    expect(run.outputs["gitops-sha"]).toMatch(/^[0-9a-f]{40}$/);
    expect(run.summary).toContain("PR #42 (`feature/login-form` → `main`)");
    expect(run.summary).toContain("applied");
    expect(run.log).not.toContain(MERGE_SHA);
    expectNoSecrets(run);
  });

  test("wait: a release Flux fails to apply fails the step with Flux's reason; one that never settles fails on the timeout", async () => {
    job = { repository: "acme/shop", event: "push", branch: "main" };
    // an app repo with staging/shop only, so each push makes exactly one release
    const cwd = exampleAppCopy();
    for (const file of ["preview.yaml", "production.yaml", "worker-staging.yaml"]) rmSync(join(cwd, ".gimlet", file));
    const push = (sha: string) => {
      const payload = example("push", (p) => p.ref === "refs/heads/master" && p.head_commit);
      Object.assign(payload, { ref: "refs/heads/main", after: sha });
      return payload;
    };
    const failing = "Deployment/shop dry-run failed: spec.replicas: Invalid value: -1";
    const landed = () => app.commits("acme/gitops-staging").find((c) => c.includes("staging/shop deploy 1111111"));
    const failed = await runAction(
      "github-push",
      push(`${"1".repeat(40)}`),
      // a failure is final only at the server's deadline, so the step answers it at its own timeout: keep it short
      { server: app.url, wait: "true", timeout: "4" },
      { GITHUB_SHA: "1".repeat(40) },
      async () => {
        for (let i = 0; i < 200 && !landed(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
        const sha = (landed() as string).slice(0, 40);
        expect(await app.fluxApplied("acme/gitops-staging", sha, "staging", failing)).toBe(200);
      },
      cwd,
    );
    expect(failed.code).toBe(1);
    expect(failed.log).toContain(
      `::error::staging/shop failed: Flux failed to apply ${(landed() as string).slice(0, 7)}: ${failing}`,
    );

    const stuck = await runAction(
      "github-push",
      push("2".repeat(40)),
      { server: app.url, wait: "true", timeout: "1" },
      { GITHUB_SHA: "2".repeat(40) },
      undefined,
      cwd,
    );
    expect(stuck.code).toBe(1);
    expect(stuck.log).toMatch(/::error::timed out after 1s waiting for staging\/shop/);
  });

  test("dry-run (the bench's cold-start case): prints the artifact, needs no server and asks for no token", async () => {
    const asked = tokens.asked.length;
    const payload = example("push", (p) => p.ref === "refs/heads/master" && p.head_commit);
    Object.assign(payload, { ref: "refs/heads/main", after: SHA });
    const run = await runAction("github-push", payload, { "dry-run": "true" });
    expect(run.code).toBe(0);
    expect(run.log).toContain('"repositoryName": "acme/shop"');
    expect(run.outputs).toEqual({ decisions: "[]" });
    expect(tokens.asked.length).toBe(asked);
    expectNoSecrets(run);
  });

  test("without a token and without `id-token: write` the step fails naming the permission", async () => {
    const run = await runAction(
      "github-push",
      {},
      { server: app.url },
      { ACTIONS_ID_TOKEN_REQUEST_URL: "", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "" },
    );
    expect(run.code).toBe(1);
    expect(run.log).toContain(
      "::error::input token: empty, and this job can't request an OIDC token: add `permissions: id-token: write`",
    );
  });

  test("bad inputs fail the step naming every input; the server's refusal is shown as path: message", async () => {
    const bad = await runAction("github-push", {}, { server: "not a url", wait: "maybe", timeout: "0" });
    expect(bad.code).toBe(1);
    expect(bad.log).toContain("input server: must be an http(s) URL");
    expect(bad.log).toContain("input wait: must be true or false");
    expect(bad.log).toContain("input timeout: must be a positive whole number of seconds");

    job = { repository: "acme/shop", event: "push", branch: "feature/x" }; // a token for another ref
    const refused = await runAction("github-push", {}, { server: app.url });
    expect(refused.code).toBe(1);
    expect(refused.log).toMatch(/::error::.*the token was issued for a job on refs\/heads\/feature\/x/);
  });
});
