import { describe, expect, test } from "@jest/globals";
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
  tipOf,
  useApps,
  useFakeGitHub,
} from "../helpers/appHarness.js";
import { git } from "../helpers/gitRepos.js";

const gh = useFakeGitHub();
const apps = useApps();
const GITOPS = "acme/gitops-staging";

/** Ship an artifact and wait for its gitops commits; returns the deployment ids it created, by app. */
async function release(
  app: AppHarness,
  options: Parameters<typeof exampleArtifact>[0] = {},
): Promise<Record<string, number>> {
  const before = new Set(gh.current.deployments.keys());
  const response = await api(app, "POST", "/api/artifacts", {
    token: await actionsToken(apps.oidc()),
    body: exampleArtifact(options),
  });
  expect(response.status).toBe(201);
  await app.waitIdle();
  const created = [...gh.current.deployments.values()].filter((d) => !before.has(d.id));
  return Object.fromEntries(created.map((d) => [(d.payload as { app: string }).app, d.id]));
}

async function shopApp(config = exampleConfig): Promise<AppHarness> {
  const app = await apps.start();
  gh.current.serve("acme/shop", { ".github/gimlet.yml": config });
  return app;
}

/** The gitops commit that last changed an app's folder. */
const commitOf = (app: AppHarness, name: string) =>
  git(app.bare(GITOPS), ["log", "-1", "--format=%H", "main", "--", `staging/${name}/release.json`]);

const lastStatus = (id: number) => gh.current.statuses.get(id)?.at(-1);

describe("POST /api/flux-events", () => {
  test("Applied revision → success with environment_url; two releases in two commits, one event for the newer settles both", async () => {
    const app = await shopApp();
    const ids = await release(app); // shop and shop-worker: environments staging/shop and staging/shop-worker, one commit each
    const tip = tipOf(app.bare(GITOPS));
    expect(git(app.bare(GITOPS), ["rev-list", "--count", "main"])).toBe("2");
    const before = gh.current.calls.length;

    const response = await postFlux(app, GITOPS, fluxEvent(tip));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      outcome: "applied",
      sha: tip,
      settled: expect.arrayContaining([
        { repository: "acme/shop", deploymentId: ids.shop, state: "success", gitopsSha: commitOf(app, "shop") },
        {
          repository: "acme/shop",
          deploymentId: ids["shop-worker"],
          state: "success",
          gitopsSha: commitOf(app, "shop-worker"),
        },
      ]),
    });
    expect(response.body.settled).toHaveLength(2);
    for (const name of ["shop", "shop-worker"]) {
      const posted = gh.current.find("POST", `/repos/acme/shop/deployments/${ids[name]}/statuses`).at(-1);
      expect(posted?.body).toEqual({
        state: "success",
        description: `Applied by Flux at ${tip.slice(0, 7)}`,
        log_url: app.remote.commitUrl(GITOPS, commitOf(app, name)),
        environment_url: `https://${name}.staging.acme.dev`, // the config's url template, APP = the app
      });
    }
    // one list of the artifact sha's deployments (both commits' trailers name it), then per deployment its statuses
    // (to know it is not settled yet) and the status
    expect(gh.current.lines(before).sort()).toEqual(
      [
        "GET /repos/acme/shop/deployments",
        ...[ids.shop, ids["shop-worker"]].flatMap((id) => [
          `GET /repos/acme/shop/deployments/${id}/statuses`,
          `POST /repos/acme/shop/deployments/${id}/statuses`,
        ]),
      ].sort(),
    );

    // the same event again (Flux repeats them): everything is settled, nothing is posted
    const again = gh.current.calls.length;
    expect((await postFlux(app, GITOPS, fluxEvent(tip))).body.settled).toEqual([]);
    expect(gh.current.calls.slice(again).filter((c) => c.method !== "GET")).toEqual([]);
  });

  test("without a url in the config, environment_url is the ingress host (none for an app without ingress)", async () => {
    const app = await shopApp(exampleConfig.replace(/^ {4}url: .*\n/m, ""));
    const ids = await release(app);
    await postFlux(app, GITOPS, fluxEvent(tipOf(app.bare(GITOPS))));
    expect(lastStatus(ids.shop!)).toMatchObject({ state: "success", environment_url: "https://shop.staging.acme.dev" });
    expect(lastStatus(ids["shop-worker"]!)?.state).toBe("success");
    expect(lastStatus(ids["shop-worker"]!)).not.toHaveProperty("environment_url");
  });

  test("the legacy revision form main/<sha> settles too", async () => {
    const app = await shopApp();
    const ids = await release(app, { files: [".gimlet/staging.yaml"] });
    const tip = tipOf(app.bare(GITOPS));
    const response = await postFlux(app, GITOPS, fluxEvent(tip, {}, `main/${tip}`));
    expect(response.status).toBe(200);
    expect(response.body.settled).toEqual([
      { repository: "acme/shop", deploymentId: ids.shop, state: "success", gitopsSha: tip },
    ]);
    expect(lastStatus(ids.shop!)).toMatchObject({
      state: "success",
      description: `Applied by Flux at ${tip.slice(0, 7)}`,
    });
  });

  test("coalescing in one environment: the newer release succeeds, the one it superseded becomes inactive (posted first)", async () => {
    const app = await shopApp();
    const first = await release(app, { files: [".gimlet/staging.yaml"], sha: SHA });
    const older = commitOf(app, "shop");
    const second = await release(app, { files: [".gimlet/staging.yaml"], sha: SHA2 });
    const tip = tipOf(app.bare(GITOPS));
    expect(tip).not.toBe(older);
    const before = gh.current.calls.length;

    const response = await postFlux(app, GITOPS, fluxEvent(tip));
    expect(response.body.settled).toEqual([
      { repository: "acme/shop", deploymentId: first.shop, state: "inactive", gitopsSha: older },
      { repository: "acme/shop", deploymentId: second.shop, state: "success", gitopsSha: tip },
    ]);
    const posts = gh.current.calls.slice(before).filter((c) => c.method === "POST");
    expect(posts.map((c) => [c.path, c.body.state])).toEqual([
      [`/repos/acme/shop/deployments/${first.shop}/statuses`, "inactive"],
      [`/repos/acme/shop/deployments/${second.shop}/statuses`, "success"],
    ]);
    expect(posts[0]!.body).toMatchObject({
      description: "Superseded by a newer release in the same Flux revision",
      log_url: app.remote.commitUrl(GITOPS, older),
    });
  });

  test("a failure event → failure with Flux's message; the release is not settled as applied", async () => {
    const app = await shopApp();
    const ids = await release(app, { files: [".gimlet/staging.yaml"] });
    const tip = tipOf(app.bare(GITOPS));
    const message = "Health check failed after 5m0s: timeout waiting for: [Deployment/shop/shop status: 'InProgress']";
    const response = await postFlux(
      app,
      GITOPS,
      fluxEvent(tip, { severity: "error", reason: "HealthCheckFailed", message }),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ outcome: "failed", settled: [{ deploymentId: ids.shop, state: "failure" }] });
    expect(lastStatus(ids.shop!)).toMatchObject({
      state: "failure",
      description: `Flux failed to apply ${tip.slice(0, 7)}: ${message}`,
      log_url: app.remote.commitUrl(GITOPS, tip),
    });
  });

  test("a bad signature → 401 and no GitHub call; a GitRepository event → 202 ignored; Progressing → ignored", async () => {
    const app = await shopApp();
    await release(app, { files: [".gimlet/staging.yaml"] });
    const tip = tipOf(app.bare(GITOPS));
    const before = gh.current.calls.length;

    const event = fluxEvent(tip);
    const forged = await postFlux(app, GITOPS, { body: event.body, signature: fluxEvent(SHA).signature });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe("unauthenticated");
    expect((await postFlux(app, GITOPS, { body: event.body, signature: "" })).status).toBe(401);
    const altered = await postFlux(app, GITOPS, {
      body: event.body.replace("info", "error"),
      signature: event.signature,
    });
    expect(altered.status).toBe(401);

    const source = await postFlux(
      app,
      GITOPS,
      fluxEvent(tip, {
        involvedObject: { kind: "GitRepository", name: "flux-system", namespace: "flux-system" },
        reason: "NewArtifact",
        message: `stored artifact for commit`,
      }),
    );
    expect(source.status).toBe(202);
    expect(source.body).toMatchObject({ ignored: true });
    expect((await postFlux(app, GITOPS, fluxEvent(tip, { reason: "Progressing" }))).status).toBe(202);
    expect(gh.current.calls.length).toBe(before);

    const noRepository = await api(app, "POST", "/api/flux-events", {
      body: event.body,
      headers: { "x-signature": event.signature },
    });
    expect(noRepository.status).toBe(400);
    expect(noRepository.body.error.details).toEqual([
      { path: "repository", message: "required: the gitops repository, owner/repo" },
    ]);
  });
});
