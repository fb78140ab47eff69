import { describe, expect, test } from "@jest/globals";
import { ApiTokenStore } from "../../app/auth/index.js";
import {
  actionsToken,
  api,
  exampleArtifact,
  exampleConfig,
  exampleManifests,
  useApps,
  useFakeGitHub,
} from "../helpers/appHarness.js";
import { runGimlet } from "../helpers/cli.js";
import { gitopsSubjects } from "../helpers/commands.js";
import { show, tempDir } from "../helpers/gitRepos.js";

const gh = useFakeGitHub();
const apps = useApps();
const ops = ApiTokenStore.generate({ name: "ops", repositories: ["acme/*"] });

async function deployed() {
  const app = await apps.start({ tokens: [ops.record] });
  gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig });
  const token = await actionsToken(apps.oidc());
  const shipped = await api(app, "POST", "/api/artifacts", {
    token,
    body: exampleArtifact({ manifests: exampleManifests([".gimlet/staging.yaml"]) }),
  });
  expect(shipped.status).toBe(201);
  await app.waitIdle();
  return { app, token };
}

describe("DELETE /api/releases and gimlet release delete", () => {
  test("removes the app in one commit and marks its deployment inactive; again → not_deployed, no commit", async () => {
    const { app, token } = await deployed();
    const bare = app.bare("acme/gitops-staging");
    const response = await api(app, "DELETE", "/api/releases?env=staging&app=shop", { token });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ decision: "deleted", reasonCode: "deleted", env: "staging", app: "shop" });
    expect(gitopsSubjects(bare)[0]).toBe("[gimlet] staging/shop delete (removed by octocat)");
    expect(show(bare, "main", "staging/shop/release.json")).toBeUndefined();
    const [id] = [...gh.current.deployments.keys()];
    expect(gh.current.statuses.get(id as number)?.at(-1)).toMatchObject({
      state: "inactive",
      description: "Removed: removed by octocat",
    });
    const again = await api(app, "DELETE", "/api/releases?env=staging&app=shop", { token });
    expect(again.body.reasonCode).toBe("not_deployed");
    expect(gitopsSubjects(bare)).toHaveLength(2);
  });

  test("the same checks as a rollback: deployers (403), another repository's app (409), missing fields (400)", async () => {
    const { app, token } = await deployed();
    const production = await api(app, "DELETE", "/api/releases?env=production&app=shop", { token });
    expect(production.status).toBe(403);
    const other = await actionsToken(apps.oidc(), "acme/other");
    gh.current.serve("acme/other", { ".github/gimlet.yml": exampleConfig });
    const foreign = await api(app, "DELETE", "/api/releases?env=staging&app=shop", { token: other });
    expect(foreign.status).toBe(409);
    expect(foreign.body.error.message).toBe("staging/shop is released from acme/shop; acme/other can't remove it");
    const missing = await api(app, "DELETE", "/api/releases?env=staging", { token });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ path: "app", message: "required: the app" }]);
    expect(gitopsSubjects(app.bare("acme/gitops-staging"))).toHaveLength(1);
  });

  test("gimlet release delete calls it", async () => {
    const { app } = await deployed();
    const result = await runGimlet(
      ["release", "delete", "--env", "staging", "--app", "shop", "--repository", "acme/shop", "-o", "json"],
      { cwd: tempDir("gimlet-cli-"), env: { GIMLET_SERVER: app.url, GIMLET_TOKEN: ops.token } },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      decision: "deleted",
      message: "staging/shop removed: removed by token:ops",
    });
  });
});
