import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { resolveToken } from "../../plugins/cli/ciToken.js";
import {
  type CiApp,
  githubJobToken,
  gitlabJobToken,
  type JobRef,
  startCiApp,
  startTokenService,
  type TokenService,
} from "../helpers/ciApp.js";
import { loadCiEnv } from "../helpers/ciEnv.js";
import { exampleAppCopy, runGimlet } from "../helpers/cli.js";

let app: CiApp;
let tokens: TokenService;
let job: JobRef = { repository: "acme/shop", event: "push", branch: "main" };

beforeAll(async () => {
  app = await startCiApp();
  tokens = await startTokenService((audience) => githubJobToken(app, job, audience));
});
afterAll(async () => {
  await tokens.close();
  await app.close();
});

describe("where the CLI finds its credential", () => {
  const env = (name: string, extra: Record<string, string> = {}) => ({ ...loadCiEnv(name).env, ...extra });

  test("the CI's OIDC token first, GIMLET_TOKEN as the fallback, --token over both", async () => {
    expect(resolveToken(env("circleci-branch")).source).toBe("circleci-oidc");
    expect(await resolveToken(env("circleci-branch")).get()).toBe(
      loadCiEnv("circleci-branch").env.CIRCLE_OIDC_TOKEN_V2,
    );
    expect(resolveToken(env("gitlab-branch")).source).toBe("gitlab-oidc");
    expect(resolveToken(env("github-push")).source).toBe("github-actions-oidc");
    expect(resolveToken(env("circleci-branch", { CIRCLE_OIDC_TOKEN_V2: "" })).source).toBe("GIMLET_TOKEN");
    expect(resolveToken(env("circleci-branch"), { auth: "token" }).source).toBe("GIMLET_TOKEN");
    expect(resolveToken(env("circleci-branch"), { token: "gmlt_flag" }).source).toBe("flag");
    expect(await resolveToken({ GITLAB_CI: "true", MY_TOKEN: "x.y.z" }, { idTokenVariable: "MY_TOKEN" }).get()).toBe(
      "x.y.z",
    );
    expect(await resolveToken({ GITLAB_CI: "true", GIMLET_ID_TOKEN_VAR: "OTHER", OTHER: "a.b.c" }).get()).toBe("a.b.c");
  });

  test("no credential: errors say what to add", () => {
    expect(() => resolveToken({ GITHUB_ACTIONS: "true" }, { auth: "oidc" })).toThrow("`permissions: id-token: write`");
    expect(() => resolveToken({ GITLAB_CI: "true" }, { auth: "oidc" })).toThrow("id_tokens: GIMLET_ID_TOKEN");
    expect(() => resolveToken({})).toThrow("--token: required: an API token (or set GIMLET_TOKEN)");
    expect(() => resolveToken({}, { auth: "maybe" })).toThrow('--auth: must be auto, oidc or token, not "maybe"');
  });

  test("GitHub Actions: the CLI asks the runner's token service for the audience", async () => {
    const resolved = resolveToken(
      {
        GITHUB_ACTIONS: "true",
        ACTIONS_ID_TOKEN_REQUEST_URL: tokens.url,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: tokens.requestToken,
      },
      { audience: "gimlet-prod" },
    );
    expect(await resolved.get()).toMatch(/^eyJ/);
    expect(tokens.asked.at(-1)).toBe("gimlet-prod");
    const refused = resolveToken({
      GITHUB_ACTIONS: "true",
      ACTIONS_ID_TOKEN_REQUEST_URL: tokens.url,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "wrong",
    });
    await expect(refused.get()).rejects.toThrow("the GitHub Actions token service answered 401 without a token");
  });
});

describe("gimlet ship, artifact list, artifact track", () => {
  test("ship from GitHub Actions with its OIDC token, list the artifact, track its releases until Flux applied them", async () => {
    job = { repository: "acme/shop", event: "push", branch: "main" };
    const cwd = exampleAppCopy();
    const { env } = loadCiEnv("github-push");
    const ciEnv = {
      ...env,
      ACTIONS_ID_TOKEN_REQUEST_URL: tokens.url,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: tokens.requestToken,
    };
    const shipped = await runGimlet(["ship", "--server", app.url, "-o", "json"], { cwd, env: ciEnv });
    expect(shipped).toMatchObject({ code: 0 });
    const result = JSON.parse(shipped.stdout) as { id: string; releases: Array<{ app: string; trackingId: string }> };
    expect(result.releases.map((r) => r.app).sort()).toEqual(["shop", "shop-worker"]);
    writeFileSync(join(cwd, "pushed.json"), shipped.stdout);
    await app.waitIdle(); // commit first: the artifact is stored once its releases are reported

    const listed = await runGimlet(["artifact", "list", "--server", app.url, "--branch", "main", "-o", "json"], {
      cwd,
      env: ciEnv,
    });
    expect(listed).toMatchObject({ code: 0 });
    expect((JSON.parse(listed.stdout) as Array<{ id: string }>)[0]?.id).toBe(result.id);
    const human = await runGimlet(["artifact", "list", "--server", app.url], { cwd, env: ciEnv });
    expect(human.stdout).toMatch(
      new RegExp(`^CREATED\\s+ID\\s+SHA\\s+EVENT\\s+REF\\s+MESSAGE\\n.*${result.id}\\s+5f2b3c4\\s+push\\s+main`),
    );

    // both releases land in one gitops commit (or two); Flux applying the tip settles them
    for (
      let i = 0;
      i < 200 && app.commits("acme/gitops-staging").filter((c) => c.includes("5f2b3c4 by")).length < 2;
      i++
    )
      await new Promise((resolve) => setTimeout(resolve, 50));
    const tip = app.commits("acme/gitops-staging")[0]?.slice(0, 40) as string;
    expect(await app.fluxApplied("acme/gitops-staging", tip, "staging")).toBe(200);
    const tracked = await runGimlet(
      ["artifact", "track", "-f", "pushed.json", "--server", app.url, "--wait", "--timeout", "10", "-o", "json"],
      { cwd, env: ciEnv },
    );
    expect(tracked).toMatchObject({ code: 0 });
    expect(
      (JSON.parse(tracked.stdout) as { releases: Array<{ status: string }> }).releases.map((r) => r.status),
    ).toEqual(["applied", "applied"]);
  });

  test("ship from GitLab with the id_tokens variable; errors from the server come back as path: message", async () => {
    const cwd = exampleAppCopy();
    const { env } = loadCiEnv("gitlab-branch");
    const token = await gitlabJobToken(app, { repository: "acme/shop", event: "push", branch: "feature/x" });
    const refused = await runGimlet(["ship", "--server", app.url], { cwd, env: { ...env, GIMLET_ID_TOKEN: token } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("the token was issued for a job on refs/heads/feature/x");
    const bad = await runGimlet(["ship", "--server", app.url, "--var", "NOPE", "--app", "shop", "--timeout", "x"], {
      cwd,
      env,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--timeout: must be a positive whole number of seconds");
    const noFolder = await runGimlet(["ship", "--dry-run", "--manifests", "deploy/gimlet"], { cwd, env });
    expect(noFolder).toMatchObject({ code: 2, stderr: "--manifests: deploy/gimlet: no such directory\n" });
    const badVar = await runGimlet(
      ["ship", "--dry-run", "--var", "GITHUB_TOKEN=ghp_0123456789abcdefghij0123456789abcdef"],
      { cwd, env },
    );
    expect(badVar.code).toBe(2);
    expect(badVar.stderr).toMatch(/^vars\.GITHUB_TOKEN: the value looks like a GitHub token/m);
  });
});
