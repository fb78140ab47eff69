import { describe, expect, test } from "@jest/globals";
import { ApiTokenStore } from "../../app/auth/index.js";
import {
  type AppHarness,
  actionsToken,
  api,
  exampleArtifact,
  exampleConfig,
  exampleManifestFiles,
  INSTALLATION_TOKEN,
  SHA,
  SHA2,
  tipOf,
  useApps,
  useFakeGitHub,
} from "../helpers/appHarness.js";
import { git, listTree, show } from "../helpers/gitRepos.js";
import { makeKey } from "../helpers/oidc.js";

const gh = useFakeGitHub();
const apps = useApps();

/** True when `expected` appears in `lines` in this order (other lines may come between). */
function _inOrder(lines: string[], expected: string[]): boolean {
  let at = 0;
  for (const line of lines) if (line === expected[at]) at++;
  return at === expected.length;
}

async function shopApp(): Promise<AppHarness> {
  const app = await apps.start();
  gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig, ...exampleManifestFiles });
  return app;
}

describe("POST /api/artifacts with a GitHub Actions OIDC token", () => {
  test("the example app pushed to main: 201, deployments, statuses, check run, artifact file, gitops commits", async () => {
    const app = await shopApp();
    const app_ = app;
    const artifact = exampleArtifact();
    const response = await api(app, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: artifact,
    });
    expect(response.status).toBe(201);
    const id: string = response.body.id;
    expect(id).toMatch(new RegExp(`^acme-shop-[0-9A-Z]{26}-${SHA}$`));
    expect(response.body.decisions).toEqual([
      {
        env: "staging",
        app: "shop",
        deploy: false,
        outcome: "skipped",
        reasonCode: "preview_needs_pr",
        reason: expect.any(String),
        preview: true,
      },
      {
        env: "production",
        app: "shop",
        deploy: false,
        outcome: "skipped",
        reasonCode: "event_mismatch",
        reason: expect.any(String),
      },
      {
        env: "staging",
        app: "shop",
        deploy: true,
        outcome: "queued",
        reasonCode: "matched",
        reason: "push to main matches the deploy policy",
        trackingId: expect.any(String),
      },
      {
        env: "staging",
        app: "shop-worker",
        deploy: true,
        outcome: "queued",
        reasonCode: "matched",
        reason: "push to main matches the deploy policy",
        trackingId: expect.any(String),
      },
    ]);
    await app.waitIdle();

    const [shop, worker] = [...gh.current.deployments.values()].sort((a, b) =>
      a.environment.localeCompare(b.environment),
    );
    const statuses = (d: { id: number }) => `/repos/acme/shop/deployments/${d.id}/statuses`;
    const lines = gh.current.lines();
    const at = (line: string, from = 0) => lines.indexOf(line, from);
    // production is protected: its deploy policy is read from the default branch's .gimlet (DESIGN §7), cached like the config
    const trustedReads = [
      "GET /repos/acme/shop",
      "GET /repos/acme/shop/contents/.gimlet",
      ...Object.keys(exampleManifestFiles).map((f) => `GET /repos/acme/shop/contents/${f}`),
    ];
    // commit first: authentication and config, then (both gitops commits pushed) a deployment per release with its
    // in_progress; the artifact's own writes (file, check run, created once) after the deploy path's
    expect(lines.slice(0, 4)).toEqual([
      "GET /repos/acme/shop/installation",
      "POST /app/installations/4242/access_tokens",
      "GET /repos/acme/.github/contents/.github/gimlet.yml",
      "GET /repos/acme/shop/contents/.github/gimlet.yml",
    ]);
    // then the trusted policy reads and (after the pushes) the env names' read of the same .gimlet/, before any write
    const firstWrite = lines.findIndex((l, i) => i >= 4 && !l.startsWith("GET "));
    expect([...new Set(lines.slice(4, firstWrite))].sort()).toEqual([...trustedReads].sort());
    for (const d of [shop, worker]) {
      expect(gh.current.find("POST", statuses(d!)).map((c) => c.body.state)).toEqual(["in_progress"]);
      expect(at(`POST ${statuses(d!)}`)).toBeGreaterThan(3);
    }
    const lastDeployPath = Math.max(...[shop, worker].map((d) => lines.lastIndexOf(`POST ${statuses(d!)}`)));
    expect(at("POST /repos/acme/shop/check-runs")).toBeGreaterThan(lastDeployPath);
    expect(lines.findIndex((l) => l.startsWith("PUT "))).toBeGreaterThan(lastDeployPath);
    expect(lines.filter((l) => l.startsWith("PATCH "))).toEqual([]);
    expect(gh.current.count("write")).toBe(6); // 2 × (deployment, in_progress), artifact file, check run
    // the artifact file on the artifacts branch of acme/gitops-staging (same owner: the installation is not looked up again)
    const path = `acme/shop/${SHA}/${id}.json`;
    expect(lines.filter((l) => l.includes("gitops-staging") && !l.startsWith("GET "))).toEqual([
      `PUT /repos/acme/gitops-staging/contents/${path}`,
    ]);
    expect(
      gh.current.calls
        .filter((c) => c.path.startsWith("/repos/") && !c.path.endsWith("/installation"))
        .every((c) => c.auth === `token ${INSTALLATION_TOKEN}`),
    ).toBe(true);

    // exactly what GitHub received
    const [deployShop, deployWorker] = gh.current.find("POST", "/repos/acme/shop/deployments").map((c) => c.body);
    const deploymentBody = (app: string) => ({
      ref: SHA,
      environment: `staging/${app}`, // two apps of the repository deploy to staging: env/app
      description: `${app} 5f2b3c4 to staging by policy`,
      payload: {
        artifactId: id,
        app,
        env: "staging",
        triggeredBy: "policy",
        // created after the push: it names the commit, and the tracking id the API answered with
        gitopsSha: git(app_.bare("acme/gitops-staging"), ["log", "-1", "--format=%H", "main", "--", `staging/${app}`]),
        trackingId: response.body.decisions.find((d: { app: string; deploy: boolean }) => d.app === app && d.deploy)
          ?.trackingId,
        successMeans: "applied",
      },
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      production_environment: false,
    });
    expect([deployShop, deployWorker].sort((a, b) => a.environment.localeCompare(b.environment))).toEqual([
      deploymentBody("shop"),
      deploymentBody("shop-worker"),
    ]);
    const bare = app.bare("acme/gitops-staging");
    const gitopsShaOf = (app: string) =>
      git(bare, ["log", "-1", "--format=%H", "main", "--", `staging/${app}/release.json`]);
    for (const [d, name] of [
      [shop, "shop"],
      [worker, "shop-worker"],
    ] as const) {
      expect(gh.current.find("POST", statuses(d!)).map((c) => c.body)).toEqual([
        {
          state: "in_progress",
          description: "Committed to acme/gitops-staging; waiting for Flux",
          log_url: app.remote.commitUrl("acme/gitops-staging", gitopsShaOf(name)),
          environment_url: `https://${name}.staging.acme.dev`,
        },
      ]);
    }
    const put = gh.current.find("PUT", `/repos/acme/gitops-staging/contents/${path}`)[0];
    const stored = JSON.parse(Buffer.from(put!.body.content, "base64").toString("utf8"));
    expect(put!.body).toEqual({
      branch: "gimlet-artifacts",
      // the trailers let a listing know the file's path, event and branch from the branch's history alone
      message: `[gimlet] artifact ${id} for 5f2b3c4\n\nGimlet-Artifact: ${id}\nGimlet-Commit: ${SHA}\nGimlet-Event: push\nGimlet-Branch: main\n`,
      content: Buffer.from(`${JSON.stringify(stored, null, 2)}\n`).toString("base64"),
    });
    expect(stored).toMatchObject({
      ...artifact,
      id,
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      vars: {},
      items: [],
    });
    const check = gh.current.find("POST", "/repos/acme/shop/check-runs")[0]!.body;
    expect(check).toEqual({
      name: "gimlet",
      head_sha: SHA,
      external_id: id,
      status: "completed",
      conclusion: "success",
      output: {
        title: "Releasing to staging/shop, staging/shop-worker",
        summary: expect.any(String),
        text: `\`\`\`json\n${JSON.stringify(stored, null, 2)}\n\`\`\``,
      },
      actions: expect.any(Array), // see the next test
    });
    expect(check.output.summary.split("\n")).toEqual([
      `Artifact \`${id}\` for push main (5f2b3c4).`,
      "",
      "| Environment | App | Policy | Why | State |",
      "|---|---|---|---|---|",
      expect.stringMatching(/^\| staging \| shop \(preview\) \| — \| preview_needs_pr: .+ \| {2}\|$/),
      expect.stringMatching(/^\| production \| shop \| — \| event_mismatch: .+ \| {2}\|$/),
      // created once, after the push: it shows the commits, never a stale "queued"
      `| staging | shop | release | matched: push to main matches the deploy policy | committed ${gitopsShaOf("shop").slice(0, 7)} |`,
      `| staging | shop-worker | release | matched: push to main matches the deploy policy | committed ${gitopsShaOf("shop-worker").slice(0, 7)} |`,
    ]);

    // the gitops repository
    expect(show(bare, "main", "staging/shop/deployment.yaml")).toContain(`image: ghcr.io/acme/shop:${SHA}`);
    const release = JSON.parse(show(bare, "main", "staging/shop/release.json") ?? "{}");
    expect(release).toMatchObject({
      app: "shop",
      env: "staging",
      artifactId: id,
      triggeredBy: "policy",
      version: { sha: SHA, branch: "main", repositoryName: "acme/shop" },
    });
    expect(release).not.toHaveProperty("deployment"); // commit first: no deployment exists when it is written
    const message = git(bare, ["log", "-1", "--format=%B", gitopsShaOf("shop")]);
    for (const trailer of [`Gimlet-Artifact: ${id}`, "Gimlet-Repository: acme/shop", `Gimlet-Ref: ${SHA}`])
      expect(message).toContain(trailer);
    expect(message).not.toContain("Gimlet-Deployment");
    expect(git(bare, ["rev-list", "--count", "main"])).toBe("2");
    expect(tipOf(bare)).toMatch(/^[0-9a-f]{40}$/);
  });

  // DESIGN §8: "up to three `Deploy to <env>` buttons" for environments the policy did not release. Here staging is being
  // released; the preview manifest (index 0) must not get a button: on a push artifact it is not renamed, so pressing
  // it would render preview.yaml (namespace shop-previews, host shop.preview.acme.dev) over the live staging/shop folder.
  test("the check run offers buttons only for environments not released, never for a preview manifest of a push", async () => {
    const app = await shopApp();
    const token = await actionsToken(apps.oidc());
    // production.yaml tags the image with {{ .TAG }}: a push has no TAG, so a button could only fail, and none is offered
    expect((await api(app, "POST", "/api/artifacts", { token, body: exampleArtifact() })).status).toBe(201);
    await app.waitIdle();
    expect(gh.current.checkRuns[0]!.actions).toEqual([]);
    // with a TAG variable production renders; its config names `deployers: [acme/sre]`, and the button is offered:
    // the press checks membership (teams too) before releasing (buttons.test.ts)
    const tagged = { ...exampleArtifact({ sha: SHA2 }), vars: { TAG: "v1.5.0-rc1" } };
    expect((await api(app, "POST", "/api/artifacts", { token, body: tagged })).status).toBe(201);
    await app.waitIdle();
    expect(gh.current.checkRuns[1]!.actions).toEqual([
      { label: "Deploy to production", description: "Release shop to production", identifier: "deploy:1" },
    ]);
  });

  test("an OIDC token is bound to its job's ref: a feature-branch job can't ship a push to main (403, no GitHub call)", async () => {
    const app = await shopApp();
    const token = await actionsToken(apps.oidc(), "acme/shop", { ref: "refs/heads/feat-x" });
    const response = await api(app, "POST", "/api/artifacts", { token, body: exampleArtifact() });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      "the token was issued for a job on refs/heads/feat-x; it can't ship an artifact for a push to main",
    );
    expect(gh.current.calls).toEqual([]);
  });

  describe("refused tokens cost no GitHub call", () => {
    const refusals: Array<[string, (app: AppHarness) => Promise<string>, number, string]> = [
      [
        "an untrusted issuer",
        () => actionsToken(apps.oidc(), "acme/shop", { iss: "https://token.actions.githubusercontent.com" }),
        401,
        "not trusted",
      ],
      ["another audience", () => actionsToken(apps.oidc(), "acme/shop", { aud: "sts.amazonaws.com" }), 401, "audience"],
      [
        "an expired token",
        () =>
          actionsToken(apps.oidc(), "acme/shop", {
            iat: Math.floor(Date.now() / 1000) - 900,
            nbf: Math.floor(Date.now() / 1000) - 900,
            exp: Math.floor(Date.now() / 1000) - 600,
          }),
        401,
        "expired",
      ],
      ["a token for acme/other", () => actionsToken(apps.oidc(), "acme/other"), 403, "acme/other"],
      [
        "a token signed by a foreign key with the issuer's kid",
        async () => actionsToken(apps.oidc(), "acme/shop", { key: await makeKey("RS256", apps.oidc().key.kid) }),
        401,
        "signature",
      ],
      ["no token", async () => "", 401, ""],
    ];
    test.each(refusals)("%s", async (_name, token, status, message) => {
      const app = await shopApp();
      const response = await api(app, "POST", "/api/artifacts", { token: await token(app), body: exampleArtifact() });
      expect(response.status).toBe(status);
      expect(response.body.error).toMatchObject({
        code: status === 401 ? "unauthenticated" : "forbidden",
        message: expect.stringContaining(message),
      });
      expect(gh.current.calls).toEqual([]);
    });
  });

  test("GitHub refusing one deployment does not fail its release: both gitops commits land, the failure is logged", async () => {
    const app = await shopApp();
    gh.current.failOnce(
      (call) => call.method === "POST" && call.path === "/repos/acme/shop/deployments",
      502,
      "Server Error",
    );
    const response = await api(app, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact(),
    });
    expect(response.status).toBe(201);
    await app.waitIdle();
    // commit first: the push never waited for GitHub, so a GitHub outage costs the Deployments tab one entry, not a release
    expect(response.body.decisions.filter((d: { deploy: boolean }) => d.deploy)).toHaveLength(2);
    expect(listTree(app.bare("acme/gitops-staging"), "main", "staging").sort()).toEqual(["shop", "shop-worker"]);
    expect(gh.current.deployments.size).toBe(1);
    expect(gh.current.checkRuns).toHaveLength(1);
    expect(gh.current.checkRuns[0]!.output.summary).not.toContain("release_failed"); // both releases landed
  });

  test("bad input: unknown event → 400 at version.event; broken JSON → 400; 2 MiB → 413; no GitHub call", async () => {
    const app = await shopApp();
    const token = await actionsToken(apps.oidc());
    const artifact = exampleArtifact();
    const unknown = await api(app, "POST", "/api/artifacts", {
      token,
      body: { ...artifact, version: { ...artifact.version, event: "merge" } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      error: {
        code: "config_invalid",
        message: "version.event: must be one of push, tag, pr",
        details: [{ path: "version.event", message: "must be one of push, tag, pr" }],
      },
    });
    const broken = await api(app, "POST", "/api/artifacts", { token, body: '{"version": {' });
    expect(broken.status).toBe(400);
    expect(broken.body.error).toMatchObject({
      code: "config_invalid",
      message: expect.stringContaining("not valid JSON"),
    });
    const huge = await api(app, "POST", "/api/artifacts", {
      token,
      body: JSON.stringify({ ...artifact, vars: { PAD: "x".repeat(2 * 1024 * 1024) } }),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe("too_large");
    expect(gh.current.calls).toEqual([]);
  });
});

describe("POST /api/artifacts with an API token", () => {
  test("a gmlt_ token scoped to acme/* ships for acme/shop; one scoped to other/* is refused (403, no GitHub call)", async () => {
    const acme = ApiTokenStore.generate({ name: "release-bot", repositories: ["acme/*"] });
    const other = ApiTokenStore.generate({ name: "other-bot", repositories: ["other/*"] });
    const app = await apps.start({ tokens: [acme.record, other.record] });
    gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig, ...exampleManifestFiles });

    const refused = await api(app, "POST", "/api/artifacts", { token: other.token, body: exampleArtifact() });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('API token "other-bot" may act for other/*');
    expect(gh.current.calls).toEqual([]);
    const unknown = await api(app, "POST", "/api/artifacts", {
      token: `gmlt_${"x".repeat(40)}`,
      body: exampleArtifact(),
    });
    expect(unknown.status).toBe(401);

    const accepted = await api(app, "POST", "/api/artifacts", {
      token: acme.token,
      body: exampleArtifact({ files: [".gimlet/staging.yaml"] }),
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.decisions).toEqual([expect.objectContaining({ env: "staging", app: "shop", deploy: true })]);
    await app.waitIdle();
    // the default branch's .gimlet/ deploys two apps to staging: the GitHub environment names the app (DESIGN §8),
    // whatever one artifact carries
    expect(gh.current.find("POST", "/repos/acme/shop/deployments").map((c) => c.body.environment)).toEqual([
      "staging/shop",
    ]);
    expect(show(app.bare("acme/gitops-staging"), "main", "staging/shop/deployment.yaml")).toContain(
      `ghcr.io/acme/shop:${SHA}`,
    );
  });
});
