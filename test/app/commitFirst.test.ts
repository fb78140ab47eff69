import { describe, expect, test } from "@jest/globals";
import {
  type AppHarness,
  actionsToken,
  api,
  exampleArtifact,
  exampleConfig,
  exampleManifestFiles,
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

async function shopApp(files: Record<string, string> = {}): Promise<AppHarness> {
  const app = await apps.start();
  gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig, ...files });
  return app;
}

/** A deployment made before commit-first, as GitHub keeps it (created by an earlier version of the app). */
function legacyDeployment(id: number, repository = "acme/shop"): void {
  gh.current.deployments.set(id, {
    id,
    repository,
    ref: SHA,
    sha: SHA,
    environment: "staging/legacy",
    payload: { app: "legacy" },
    created_at: "2026-01-01T00:00:00Z",
    body: {},
  });
  gh.current.statuses.set(id, [{ id: id + 1, state: "in_progress", created_at: "2026-01-01T00:00:01Z" }]);
}

/** A release commit written straight through the writer (as an older release, or another repository's). */
async function writeRelease(
  app: AppHarness,
  name: string,
  release: { repositoryName?: string; deployment?: { repository: string; id: number } },
) {
  return app.services.deps.writer.deploy({
    repo: GITOPS,
    branch: "main",
    path: "staging",
    env: "staging",
    app: name,
    files: [{ path: "configmap.yaml", content: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n` }],
    release: {
      artifactId: `old-${name}`,
      triggeredBy: "policy",
      version: { sha: SHA, ...(release.repositoryName ? { repositoryName: release.repositoryName } : {}) },
      ...(release.deployment ? { deployment: release.deployment } : {}),
    },
  });
}

describe("commit first: releases settle from their commits' trailers", () => {
  test("a commit with the older Gimlet-Deployment trailer settles with the new ones in one Flux event", async () => {
    const app = await shopApp();
    legacyDeployment(77);
    await writeRelease(app, "legacy", { deployment: { repository: "acme/shop", id: 77 } });
    expect(git(app.bare(GITOPS), ["log", "-1", "--format=%B", "main"])).toContain("Gimlet-Deployment: acme/shop#77");
    const response = await api(app, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact({ files: [".gimlet/staging.yaml"], sha: SHA2 }),
    });
    expect(response.status).toBe(201);
    await app.waitIdle();
    const [, id] = [...gh.current.deployments.keys()];

    expect((await postFlux(app, GITOPS, fluxEvent(tipOf(app.bare(GITOPS))))).status).toBe(200);
    expect(gh.current.statesOf(77)).toEqual(["in_progress", "success"]);
    expect(gh.current.statesOf(id as number)).toEqual(["in_progress", "success"]);
  });

  test("a release of a repository that is gone settles nothing and fails nothing: the others still settle", async () => {
    const app = await shopApp();
    const response = await api(app, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact({ files: [".gimlet/staging.yaml"] }),
    });
    expect(response.status).toBe(201);
    await app.waitIdle();
    const [id] = [...gh.current.deployments.keys()];
    await writeRelease(app, "gone", { repositoryName: "acme/gone" });
    gh.current.failOnce((c) => c.method === "GET" && c.path === "/repos/acme/gone/deployments", 404, "Not Found");

    const settled = await postFlux(app, GITOPS, fluxEvent(tipOf(app.bare(GITOPS))));
    expect(settled.status).toBe(200);
    expect(gh.current.find("GET", "/repos/acme/gone/deployments")).toHaveLength(1);
    expect(gh.current.statesOf(id as number)).toEqual(["in_progress", "success"]);
  });

  test("a Flux event before the deployment exists settles it on the next event", async () => {
    const app = await shopApp();
    const release = gh.current.hold((c) => c.method === "POST" && c.path === "/repos/acme/shop/deployments");
    const response = await api(app, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact({ files: [".gimlet/staging.yaml"] }),
    });
    expect(response.status).toBe(201);
    const trackingId = response.body.decisions[0].trackingId as string;
    // the gitops commit is pushed while GitHub still holds the deployment's creation
    const bare = app.bare(GITOPS);
    while (git(bare, ["rev-list", "--count", "--all"]) === "0") await new Promise((r) => setTimeout(r, 5));
    const tracked = await api(app, "GET", `/api/releases/track/${trackingId}`, {
      token: await actionsToken(apps.oidc()),
    });
    expect(tracked.body).toMatchObject({ status: "queued", final: false, gitopsSha: null });
    expect((await postFlux(app, GITOPS, fluxEvent(tipOf(bare)))).body.settled).toEqual([]);

    release();
    await app.waitIdle();
    const [id] = [...gh.current.deployments.keys()];
    expect(gh.current.statesOf(id as number)).toEqual(["in_progress"]);
    expect((await postFlux(app, GITOPS, fluxEvent(tipOf(bare)))).body.settled).toHaveLength(1);
    expect(gh.current.statesOf(id as number)).toEqual(["in_progress", "success"]);
  });
});

describe("GitHub environments come from the default branch, not the artifact", () => {
  test("an artifact carrying one of two staging apps still deploys to staging/<app>", async () => {
    const app = await shopApp(exampleManifestFiles); // staging: shop and shop-worker on the default branch
    const response = await api(app, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact({ files: [".gimlet/staging.yaml"] }),
    });
    expect(response.status).toBe(201);
    await app.waitIdle();
    expect([...gh.current.deployments.values()].map((d) => d.environment)).toEqual(["staging/shop"]);
    // read once per repository (cached): a second artifact reads nothing more
    const reads = gh.current.find("GET", /\/contents\/\.gimlet/).length;
    await api(app, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact({ files: [".gimlet/staging.yaml", ".gimlet/worker-staging.yaml"], sha: SHA2 }),
    });
    await app.waitIdle();
    expect(gh.current.find("GET", /\/contents\/\.gimlet/)).toHaveLength(reads);
    expect([...gh.current.deployments.values()].map((d) => d.environment).sort()).toEqual([
      "staging/shop",
      "staging/shop",
      "staging/shop-worker",
    ]);
  });
});

describe("stored artifacts", () => {
  test("a corrupt artifact file is a clear 400 for that artifact, and listing skips it", async () => {
    const app = await shopApp();
    const token = await actionsToken(apps.oidc());
    const shipped = await api(app, "POST", "/api/artifacts", {
      token,
      body: exampleArtifact({ files: [".gimlet/production.yaml"] }),
    });
    expect(shipped.status).toBe(201);
    await app.waitIdle();
    const id = `acme-shop-01M80V4X3BC26C1F9406Q90D9W-${SHA}`;
    // cut short after it was stored (its own commit on the artifacts branch, as every artifact file is)
    gh.current.commitFile(
      GITOPS,
      "gimlet-artifacts",
      { [`acme/shop/${SHA}/${id}.json`]: '{"version": {"repositoryName": "acme/sh' },
      `[gimlet] artifact ${id} for ${SHA.slice(0, 7)}`,
    );

    const release = await api(app, "POST", "/api/releases", { token, body: { env: "staging", artifactId: id } });
    expect(release.status).toBe(400);
    expect(release.body.error.message).toContain(`acme/shop/${SHA}/${id}.json is not JSON`);
    const listed = await api(app, "GET", "/api/artifacts?repository=acme/shop", { token });
    expect(listed.status).toBe(200);
    expect(listed.body.map((a: { id: string }) => a.id)).toEqual([shipped.body.id]);
    expect(gh.current.find("GET", `/repos/${GITOPS}/contents/acme/shop/${SHA}/${id}.json`).length).toBeGreaterThan(1);
  });
});
