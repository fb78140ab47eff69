import { existsSync } from "node:fs";
import { describe, expect, test } from "@jest/globals";
import type { AppHarness } from "../helpers/appHarness.js";
import {
  actionsToken,
  api,
  exampleArtifact,
  exampleConfig,
  exampleManifests,
  tipOf,
  useApps,
  useFakeGitHub,
} from "../helpers/appHarness.js";

const gh = useFakeGitHub();
const apps = useApps();

const STAGING = "acme/gitops-staging";

async function shop(limits: Parameters<typeof apps.start>[0] = {}): Promise<AppHarness> {
  const app = await apps.start(limits);
  gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig });
  return app;
}

/** The staging manifest of examples/shop (deploys on a push to main), changed by `edit`. */
function stagingManifest(edit: (m: Record<string, any>) => void = () => undefined): Record<string, any> {
  const manifest = structuredClone(exampleManifests([".gimlet/staging.yaml"])[0]) as Record<string, any>;
  edit(manifest);
  return manifest;
}

/** Nothing happened: no GitHub write, no gitops repository, no release in flight. */
function expectNothingDone(app: AppHarness): void {
  expect(gh.current.lines().filter((l) => !l.startsWith("GET ") && !l.includes("/access_tokens"))).toEqual([]);
  expect(gh.current.deployments.size).toBe(0);
  expect(existsSync(`${app.bare(STAGING)}/HEAD`)).toBe(false);
  expect(app.services.inflight.size).toBe(0);
}

describe("an artifact's answer is the truth: every check before any side effect", () => {
  test("an artifact nested 50,000 levels deep (inside cleanupPolicy) is refused 400 before anything is done", async () => {
    const app = await shop();
    const artifact = exampleArtifact({ manifests: [stagingManifest() as never] });
    const text = JSON.stringify(artifact);
    // The deep part is spliced in as text: JSON.stringify itself would overflow the stack building it.
    const deep = `${'{"a":'.repeat(50_000)}{}${"}".repeat(50_000)}`;
    const body = text.replace('"app":"shop"', `"app":"shop","cleanupPolicy":${deep}`);
    const response = await api(app, "POST", "/api/artifacts", { token: await actionsToken(apps.oidc()), body });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("too_deep");
    expect(response.body.error.message).toMatch(/GIMLET_JSON_MAX_DEPTH/);
    await app.waitIdle();
    expectNothingDone(app);
  });

  test("a kind that would escape the app folder is refused 400 with path: message, not accepted with a tracking id", async () => {
    const app = await shop();
    const manifest = stagingManifest((m) => {
      m.manifests = "apiVersion: v1\nkind: ../../../evil\nmetadata:\n  name: evil\n";
    });
    const response = await api(app, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact({ manifests: [manifest as never] }),
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("config_invalid");
    const paths = response.body.error.details.map((d: { path: string }) => d.path);
    expect(paths.some((p: string) => /^environments\[0\]\.objects\[\d+\]\.kind$/.test(p))).toBe(true);
    expect(paths.some((p: string) => /^environments\[0\]\.files\[\d+\]\.path$/.test(p))).toBe(true);
    await app.waitIdle();
    expectNothingDone(app);
  });

  test("an object name that is not a DNS subdomain never reaches a release: the manifest is reported invalid", async () => {
    const app = await shop();
    const manifest = stagingManifest((m) => {
      m.manifests = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ../../x\n";
    });
    const response = await api(app, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact({ manifests: [manifest as never] }),
    });
    // Rendering refuses it, and a manifest that can't render fails its own release only (reported, never started).
    expect(response.status).toBe(201);
    expect(response.body.decisions[0]).toMatchObject({
      deploy: false,
      reasonCode: "invalid_manifest",
      reason: expect.stringMatching(/metadata\.name: "\.\.\/\.\.\/x" must be a DNS subdomain/),
    });
    await app.waitIdle();
    expect(gh.current.deployments.size).toBe(0);
    expect(existsSync(`${app.bare(STAGING)}/refs/heads/main`)).toBe(false); // read for the policy, never written
  });
});

describe("bounds on one artifact's work", () => {
  test("more manifests than GIMLET_MAX_MANIFESTS: 400 limit_exceeded, nothing released", async () => {
    const app = await shop({ limits: { maxManifests: 3 } });
    const manifests = [1, 2, 3, 4].map((n) => stagingManifest((m) => (m.app = `shop-${n}`)));
    const response = await api(app, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact({ manifests: manifests as never }),
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: "limit_exceeded",
      details: [{ path: "environments", message: expect.stringMatching(/4 manifests.*GIMLET_MAX_MANIFESTS/) }],
    });
    expectNothingDone(app);
  });

  test("the default refuses 10,000 environments in one artifact", async () => {
    const app = await shop();
    // Small manifests, so the body stays under the API's 1 MiB and the limit is what refuses it.
    const manifests = Array.from({ length: 10_000 }, (_, n) => ({ app: "shop", env: `env-${n}`, namespace: "shop" }));
    const response = await api(app, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact({ manifests: manifests as never }),
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("limit_exceeded");
    expect(response.body.error.details.map((d: { message: string }) => d.message)).toEqual([
      expect.stringMatching(/10000 manifests; the limit is 100 \(GIMLET_MAX_MANIFESTS\)/),
      expect.stringMatching(/10000 environments; the limit is 20 \(GIMLET_MAX_ENVIRONMENTS\)/),
    ]);
    expectNothingDone(app);
  });

  test("more environments than GIMLET_MAX_ENVIRONMENTS: 400", async () => {
    const app = await shop({ limits: { maxEnvironments: 1 } });
    const manifests = [stagingManifest(), stagingManifest((m) => (m.env = "production"))];
    const response = await api(app, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact({ manifests: manifests as never }),
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].message).toMatch(/2 environments.*GIMLET_MAX_ENVIRONMENTS/);
    expectNothingDone(app);
  });

  test("a release rendering more objects or bytes than allowed: 400 naming the setting", async () => {
    const objects = await shop({ limits: { maxRenderedObjects: 2 } });
    const refused = await api(objects, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact({ manifests: [stagingManifest() as never] }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0]).toMatchObject({
      path: "environments[0]",
      message: expect.stringMatching(/objects.*GIMLET_MAX_RENDERED_OBJECTS/),
    });
    expectNothingDone(objects);

    const bytes = await shop({ limits: { maxRenderedBytes: 512 } });
    const big = await api(bytes, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact({ manifests: [stagingManifest() as never] }),
    });
    expect(big.status).toBe(400);
    expect(big.body.error.details[0].message).toMatch(/GIMLET_MAX_RENDERED_BYTES/);
  });

  test("a release that started is reported as started even when the check run can't be created: 201 with tracking", async () => {
    const app = await shop();
    gh.current.failOnce((c) => c.method === "POST" && c.path.endsWith("/check-runs"), 500);
    gh.current.failOnce((c) => c.method === "POST" && c.path.endsWith("/check-runs"), 500);
    const response = await api(app, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact({ manifests: [stagingManifest() as never] }),
    });
    expect(response.status).toBe(201);
    expect(response.body.decisions[0]).toMatchObject({ deploy: true, trackingId: expect.any(String) });
    // commit first: the check run is created after the answer, once the release is reported; its failure is logged
    await app.waitIdle();
    expect(gh.current.checkRuns).toHaveLength(0);
    expect(gh.current.deployments.size).toBe(1);
    expect(tipOf(app.bare(STAGING))).toMatch(/^[0-9a-f]{40}$/);
  });

  test("a manual release of a stored artifact over today's limits is refused before its deployment exists", async () => {
    // Shipped while the limit was higher (one app server), released where it is lower (another, same GitHub).
    const permissive = await shop();
    const manifest = stagingManifest((m) => delete m.deploy); // stored, not released
    const shipped = await api(permissive, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact({ manifests: [manifest as never] }),
    });
    expect(shipped.status).toBe(201);
    await permissive.waitIdle();
    const strict = await apps.start({ limits: { maxRenderedObjects: 2 } });
    const response = await api(strict, "POST", "/api/releases", {
      token: await actionsToken(apps.oidc()),
      body: { env: "staging", artifactId: shipped.body.id },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0]).toMatchObject({
      path: "releases[0]",
      message: expect.stringMatching(/GIMLET_MAX_RENDERED_OBJECTS/),
    });
    expect(gh.current.deployments.size).toBe(0);
  });
});
