import { describe, expect, test } from "@jest/globals";
import { actionsToken, api, exampleArtifact, exampleConfig, useApps, useFakeGitHub } from "../helpers/appHarness.js";

const gh = useFakeGitHub();
const apps = useApps();

// examples/shop/.github/gimlet.yml: production names `deployers: [acme/sre]`
describe("an env that names its deployers", () => {
  test("a CI job can't release or roll back there through the API; other envs it can", async () => {
    const app = await apps.start();
    gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig });
    const token = await actionsToken(apps.oidc());
    const shipped = await api(app, "POST", "/api/artifacts", {
      token,
      body: { ...exampleArtifact(), vars: { TAG: "v1.5.0" } },
    });
    expect(shipped.status).toBe(201);
    await app.waitIdle();
    const before = gh.current.calls.length;

    const release = await api(app, "POST", "/api/releases", {
      token,
      body: { env: "production", artifactId: shipped.body.id },
    });
    expect(release.status).toBe(403);
    expect(release.body.error.message).toBe(
      "environment production names its deployers (acme/sre); octocat is not one of them",
    );
    const rollback = await api(app, "POST", "/api/rollbacks", { token, body: { env: "production", app: "shop" } });
    expect(rollback.status).toBe(403);
    expect(gh.current.find("POST", "/repos/acme/shop/deployments").length).toBe(2); // only the two policy releases to staging
    expect(gh.current.calls.slice(before).filter((c) => c.method !== "GET")).toEqual([]);

    const staging = await api(app, "POST", "/api/releases", {
      token,
      body: { env: "staging", app: "shop-worker", artifactId: shipped.body.id },
    });
    expect(staging.status).toBe(202);
    await app.waitIdle();
  });
});
