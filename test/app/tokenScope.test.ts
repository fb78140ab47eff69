import { describe, expect, test } from "@jest/globals";
import { ApiTokenStore } from "../../app/auth/index.js";
import { api, exampleArtifact, useApps, useFakeGitHub } from "../helpers/appHarness.js";
import { gitopsRefs, orgSetup, productionManifest, TRUSTED_PRODUCTION } from "../helpers/trustFixtures.js";

const gh = useFakeGitHub();
const apps = useApps();
const deploymentsTo = (env: string) => [...gh.current.deployments.values()].filter((d) => d.environment === env);
const checkRunText = () => JSON.stringify(gh.current.checkRuns.at(-1));

describe("attack: a static CI token claims a push to main to reach production", () => {
  // An API token can't prove the ref it shipped from: this one says main, and production takes main by policy.
  const circleci = ApiTokenStore.generate({ name: "circleci", repositories: ["acme/*"], environments: ["staging"] });

  test("a token scoped to staging: staging deploys, production's decision is environment_forbidden; asking is 403", async () => {
    const app = await apps.start({ tokens: [circleci.record] });
    orgSetup(gh.current);
    gh.current.serve(
      "acme/shop",
      { ".gimlet/staging.yaml": TRUSTED_PRODUCTION.replace("env: production", "env: staging") },
      "main",
    );
    const productionBefore = gitopsRefs(app)["acme/gitops-production"];
    const artifact = exampleArtifact({
      manifests: [productionManifest({ env: "staging" }), productionManifest()],
      repository: "acme/shop",
    });
    artifact.version.branch = "main";
    const shipped = await api(app, "POST", "/api/artifacts", { token: circleci.token, body: artifact });
    await app.waitIdle();
    expect(shipped.status).toBe(201);
    expect(shipped.body.decisions).toEqual([
      expect.objectContaining({ env: "staging", deploy: true }),
      expect.objectContaining({
        env: "production",
        deploy: false,
        reasonCode: "environment_forbidden",
        reason: 'API token "circleci" may release to staging; not to production',
      }),
    ]);
    expect(deploymentsTo("staging")).toHaveLength(1);
    expect(deploymentsTo("production")).toEqual([]);
    expect(checkRunText()).toContain("environment_forbidden");

    // asking for production directly: a release, a rollback, a removal
    const asks = [
      api(app, "POST", "/api/releases", {
        token: circleci.token,
        body: { env: "production", artifactId: shipped.body.id, repository: "acme/shop" },
      }),
      api(app, "POST", "/api/rollbacks", {
        token: circleci.token,
        body: { env: "production", app: "shop", repository: "acme/shop" },
      }),
      api(app, "DELETE", "/api/releases?env=production&app=shop&repository=acme/shop", { token: circleci.token }),
    ];
    for (const answer of await Promise.all(asks)) {
      expect(answer.status).toBe(403);
      expect(answer.body.error).toEqual({
        code: "forbidden",
        reasonCode: "environment_forbidden",
        message: 'API token "circleci" may release to staging; not to production',
        details: [],
      });
    }
    await app.waitIdle();
    expect(deploymentsTo("production")).toEqual([]);
    expect(gitopsRefs(app)["acme/gitops-production"]).toEqual(productionBefore);

    // the same token may still release to staging on request
    const staging = await api(app, "POST", "/api/releases", {
      token: circleci.token,
      body: { env: "staging", artifactId: shipped.body.id, repository: "acme/shop" },
    });
    expect(staging.status).toBe(202);
  });
});
