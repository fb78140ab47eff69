import { describe, expect, test } from "@jest/globals";
import { trackingId } from "../../app/releases/tracking.js";
import {
  type AppHarness,
  actionsToken,
  api,
  exampleArtifact,
  exampleConfig,
  fluxEvent,
  postFlux,
  SHA,
  SHA2,
  shaOf,
  tipOf,
  useApps,
  useFakeGitHub,
} from "../helpers/appHarness.js";
import { git, show, subjects } from "../helpers/gitRepos.js";

const gh = useFakeGitHub();
const apps = useApps();
const GITOPS = "acme/gitops-staging";

async function shopApp(): Promise<{ app: AppHarness; token: string }> {
  const app = await apps.start();
  gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig });
  return { app, token: await actionsToken(apps.oidc()) };
}

async function ship(
  app: AppHarness,
  token: string,
  options: Parameters<typeof exampleArtifact>[0] & { branch?: string } = {},
) {
  const artifact = exampleArtifact(options);
  if (options.branch) artifact.version.branch = options.branch;
  const response = await api(app, "POST", "/api/artifacts", { token, body: artifact });
  expect(response.status).toBe(201);
  await app.waitIdle();
  return response.body as {
    id: string;
    decisions: Array<{
      env: string;
      app: string;
      deploy: boolean;
      reasonCode: string;
      reason: string;
      trackingId?: string;
    }>;
  };
}

describe("GET /api/releases/track/:trackingId", () => {
  test("follows the deployment's statuses: queued → committed → applied, and failed", async () => {
    const { app, token } = await shopApp();
    // hold GitHub's answer to the in_progress status: the release is queued until it lands
    const release = gh.current.hold(
      (c) => c.method === "POST" && c.path.endsWith("/statuses") && c.body?.state === "in_progress",
    );
    const shipped = await api(app, "POST", "/api/artifacts", {
      token,
      body: exampleArtifact({ files: [".gimlet/staging.yaml"] }),
    });
    const id = shipped.body.decisions[0].trackingId as string;
    // known before the deployment exists (commit first); the deployment carries it
    while (!gh.current.deployments.size) await new Promise((r) => setTimeout(r, 5));
    const deploymentId = [...gh.current.deployments.keys()][0] as number;
    expect(gh.current.deployments.get(deploymentId)?.payload).toMatchObject({ trackingId: id });
    expect(trackingId("acme/shop", deploymentId)).not.toBe(id);
    while (!gh.current.find("POST", /statuses$/).some((c) => c.body.state === "in_progress"))
      await new Promise((r) => setTimeout(r, 5));

    const deploymentUrl = "https://github.com/acme/shop/deployments/staging";
    const queued = await api(app, "GET", `/api/releases/track/${id}`, { token });
    expect(queued.status).toBe(200);
    expect(queued.body).toEqual({
      env: "staging",
      app: "shop",
      status: "queued",
      final: false,
      gitopsSha: null,
      deploymentUrl,
      environmentUrl: null,
      message: "queued",
    });
    release();
    await app.waitIdle();
    const gitopsSha = tipOf(app.bare(GITOPS));
    expect((await api(app, "GET", `/api/releases/track/${id}`, { token })).body).toEqual({
      env: "staging",
      app: "shop",
      status: "committed",
      final: false,
      gitopsSha,
      deploymentUrl,
      environmentUrl: "https://shop.staging.acme.dev",
      message: "Committed to acme/gitops-staging; waiting for Flux",
    });
    await postFlux(app, GITOPS, fluxEvent(gitopsSha));
    expect((await api(app, "GET", `/api/releases/track/${id}`, { token })).body).toMatchObject({
      status: "applied",
      final: true,
      gitopsSha,
      message: `Applied by Flux at ${gitopsSha.slice(0, 7)}`,
    });

    const next = await ship(app, token, { files: [".gimlet/staging.yaml"], sha: SHA2 });
    const failedSha = tipOf(app.bare(GITOPS));
    await postFlux(
      app,
      GITOPS,
      fluxEvent(failedSha, { severity: "error", reason: "ReconciliationFailed", message: "kustomize build failed" }),
    );
    expect(
      (await api(app, "GET", `/api/releases/track/${next.decisions[0]!.trackingId}`, { token })).body,
    ).toMatchObject({
      status: "failed",
      final: false, // not before the release deadline: Flux retries, and a later success still ends it healthy
      gitopsSha: failedSha,
      message: expect.stringContaining("kustomize build failed"),
    });

    // another repository's release is not this token's to track; garbage is a 400; an unknown deployment 404
    expect(
      (await api(app, "GET", `/api/releases/track/${trackingId("acme/other", deploymentId!)}`, { token })).status,
    ).toBe(403);
    expect((await api(app, "GET", "/api/releases/track/not-a-tracking-id", { token })).status).toBe(400);
    expect((await api(app, "GET", `/api/releases/track/${trackingId("acme/shop", 999999)}`, { token })).status).toBe(
      404,
    );
  });
});

describe("manual release and rollback", () => {
  test("POST /api/releases {env, artifactId}: the artifact is found through the artifacts branch, both staging apps released", async () => {
    const { app, token } = await shopApp();
    const branchToken = await actionsToken(apps.oidc(), "acme/shop", { ref: "refs/heads/feature/cart" });
    const shipped = await ship(app, branchToken, { branch: "feature/cart" }); // no policy matches: nothing released
    expect(shipped.decisions.filter((d) => d.deploy)).toEqual([]);
    const before = gh.current.calls.length;

    const response = await api(app, "POST", "/api/releases", {
      token,
      body: { env: "staging", artifactId: shipped.id },
    });
    expect(response.status).toBe(202);
    await app.waitIdle();
    const path = `acme/shop/${SHA}/${shipped.id}.json`;
    // the id ends with the artifact's commit sha: its path is known, one read (no listing of every stored artifact)
    expect(gh.current.lines(before).slice(0, 3)).toEqual([
      `GET /repos/acme/gitops-staging/contents/${path}`,
      "GET /repos/acme/shop/contents/.gimlet", // the apps the repo deploys per env, on its default branch
      "POST /repos/acme/shop/deployments",
    ]);
    expect(gh.current.calls[before]?.query).toEqual({ ref: "gimlet-artifacts" });

    const deployments = [...gh.current.deployments.values()];
    expect(response.body).toEqual({
      trackingId: (deployments[0]!.payload as { trackingId: string }).trackingId,
      releases: deployments.map((d) => ({
        env: "staging",
        app: (d.payload as { app: string }).app,
        trackingId: (d.payload as { trackingId: string }).trackingId,
      })),
    });
    expect(deployments.map((d) => d.body)).toEqual(
      ["shop", "shop-worker"].map((name) => ({
        ref: SHA,
        environment: `staging/${name}`,
        description: `${name} 5f2b3c4 to staging by octocat`, // the token's actor
        payload: {
          artifactId: shipped.id,
          app: name,
          env: "staging",
          triggeredBy: "octocat",
          gitopsSha: expect.stringMatching(/^[0-9a-f]{40}$/),
          trackingId: expect.any(String),
          successMeans: "applied",
        },
        auto_merge: false,
        required_contexts: [],
        transient_environment: false,
        production_environment: false,
      })),
    );
    for (const d of deployments) expect(gh.current.statesOf(d.id)).toEqual(["in_progress"]);
    expect(subjects(app.bare(GITOPS)).sort()).toEqual([
      "[gimlet] staging/shop deploy 5f2b3c4 by octocat",
      "[gimlet] staging/shop-worker deploy 5f2b3c4 by octocat",
    ]);

    const unknown = await api(app, "POST", "/api/releases", {
      token,
      body: { env: "staging", artifactId: "acme-shop-nope" },
    });
    expect(unknown.status).toBe(404);
    const badEnv = await api(app, "POST", "/api/releases", { token, body: { env: "qa", artifactId: shipped.id } });
    expect(badEnv.status).toBe(400);
    expect(badEnv.body.error.details[0].message).toContain("(it has: staging, production)");
  });

  test("POST /api/rollbacks pins the previous release; a policy artifact is then refused (pinned); GET /api/releases shows the log", async () => {
    const { app, token } = await shopApp();
    const first = await ship(app, token, { files: [".gimlet/staging.yaml"], sha: SHA });
    const bare = app.bare(GITOPS);
    const firstGitops = tipOf(bare);
    await ship(app, token, { files: [".gimlet/staging.yaml"], sha: SHA2 });
    const secondGitops = tipOf(bare);
    const [firstDeployment, secondDeployment] = [...gh.current.deployments.keys()];
    const before = gh.current.calls.length;

    const response = await api(app, "POST", "/api/rollbacks", { token, body: { env: "staging", app: "shop" } });
    expect(response.status).toBe(202);
    await app.waitIdle();
    const rollbackId = [...gh.current.deployments.keys()][2];
    expect(response.body).toEqual({ trackingId: expect.any(String), rolledBackTo: firstGitops });
    // commit first: the deployment comes after the push, its environment from the (cached) default-branch config
    expect(gh.current.lines(before)).toEqual([
      "POST /repos/acme/shop/deployments",
      // the restored release's environment URL, so the rollback's deployment links to the app like a deploy's: its
      // deployment is the one of its sha that names its gitops commit
      "GET /repos/acme/shop/deployments",
      `GET /repos/acme/shop/deployments/${firstDeployment}/statuses`,
      `POST /repos/acme/shop/deployments/${rollbackId}/statuses`,
    ]);
    expect(gh.current.deployments.get(rollbackId!)?.body).toEqual({
      ref: SHA,
      environment: "staging",
      description: `Rollback of shop in staging to ${firstGitops.slice(0, 7)} by octocat`,
      payload: {
        artifactId: first.id,
        app: "shop",
        env: "staging",
        triggeredBy: "octocat",
        rollbackOf: firstGitops,
        gitopsSha: tipOf(bare),
        trackingId: response.body.trackingId,
        successMeans: "applied",
      },
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      production_environment: false,
    });
    const rolledBack = tipOf(bare);
    expect(gh.current.statuses.get(rollbackId!)?.map((s) => [s.state, s.log_url, s.environment_url])).toEqual([
      ["in_progress", app.remote.commitUrl(GITOPS, rolledBack), "https://shop.staging.acme.dev"],
    ]);
    expect(subjects(bare)[0]).toBe(`[gimlet] staging/shop rollback to ${firstGitops.slice(0, 7)} by octocat`);
    expect(show(bare, "main", "staging/shop/deployment.yaml")).toContain(`ghcr.io/acme/shop:${SHA}`);
    expect(JSON.parse(show(bare, "main", "staging/shop/release.json") ?? "{}")).toMatchObject({
      pinned: true,
      rollback: { of: firstGitops },
    });
    expect(git(bare, ["log", "-1", "--format=%B", "main"])).toContain(`Gimlet-Ref: ${SHA}`);

    // a policy artifact for the pinned env/app: stored, not released, and the check run says why
    const third = await ship(app, token, { files: [".gimlet/staging.yaml"], sha: shaOf(3) });
    expect(third.decisions).toEqual([
      {
        env: "staging",
        app: "shop",
        deploy: false,
        outcome: "skipped",
        reasonCode: "pinned",
        reason: `staging/shop is pinned by a rollback to ${firstGitops.slice(0, 7)}; an explicit deploy unpins it`,
      },
    ]);
    expect(gh.current.deployments.size).toBe(3);
    expect(tipOf(bare)).toBe(rolledBack);
    const check = gh.current.checkRuns.at(-1) as { output: { title: string; summary: string } };
    expect(check.output.title).toBe("Artifact stored; no automatic release");
    expect(check.output.summary).toContain(
      `| staging | shop | — | pinned: staging/shop is pinned by a rollback to ${firstGitops.slice(0, 7)}; an explicit deploy unpins it |  |`,
    );

    const log = await api(app, "GET", "/api/releases?env=staging", { token });
    expect(log.status).toBe(200);
    expect(
      log.body.map((e: { type: string; gitopsSha: string; rolledBack: boolean; pinned?: boolean }) => [
        e.type,
        e.gitopsSha,
        e.rolledBack,
        e.pinned ?? false,
      ]),
    ).toEqual([
      ["rollback", rolledBack, false, true],
      ["deploy", secondGitops, true, false],
      ["deploy", firstGitops, false, false],
    ]);
    expect(log.body[0]).toMatchObject({
      env: "staging",
      app: "shop",
      triggeredBy: "octocat",
      rollbackOf: firstGitops,
    });
    expect(log.body[1]).toMatchObject({
      artifactId: expect.stringMatching(/^acme-shop-/),
      triggeredBy: "policy",
      version: { sha: SHA2 },
    });
    expect(firstDeployment).toBeLessThan(secondDeployment!);
    expect((await api(app, "GET", "/api/releases?env=staging&app=shop&limit=1", { token })).body).toHaveLength(1);
    expect((await api(app, "GET", "/api/releases", { token })).status).toBe(400);
    expect(git(bare, ["rev-list", "--count", "main"])).toBe("3");
  });
});
