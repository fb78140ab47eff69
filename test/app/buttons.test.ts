import { describe, expect, test } from "@jest/globals";
import {
  actionsToken,
  api,
  buttonPress,
  deliver,
  exampleArtifact,
  exampleConfig,
  exampleManifests,
  useApps,
  useFakeGitHub,
} from "../helpers/appHarness.js";
import { gitopsSubjects } from "../helpers/commands.js";

const gh = useFakeGitHub();
const apps = useApps();

/** A feature-branch push artifact (no policy releases it) with staging and production (TAG set, so it renders). */
async function shipped() {
  const app = await apps.start();
  gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig });
  const token = await actionsToken(apps.oidc(), "acme/shop", { ref: "refs/heads/feature/cart" });
  const artifact = {
    ...exampleArtifact({ manifests: exampleManifests([".gimlet/production.yaml", ".gimlet/staging.yaml"]) }),
    vars: { TAG: "v2.0.0" },
  };
  artifact.version.branch = "feature/cart";
  const response = await api(app, "POST", "/api/artifacts", { token, body: artifact });
  expect(response.status).toBe(201);
  await app.waitIdle();
  const checkRun = firstRun();
  return { app, artifact, id: response.body.id as string, checkRun };
}

/** The artifact's check run as the fake GitHub holds it now. */
const firstRun = () => gh.current.checkRuns[0] as Record<string, any>;

const summaryRow = (summary: string, env: string) => summary.split("\n").find((l) => l.startsWith(`| ${env} |`));

describe("Deploy buttons answer in the check run", () => {
  test("both envs get a button, production (deployers) included", async () => {
    const { checkRun } = await shipped();
    expect(checkRun.actions.map((a: { label: string }) => a.label)).toEqual([
      "Deploy to production",
      "Deploy to staging",
    ]);
  });

  test("a press on a locked env is refused: the state cell and a line say who holds the lock; nothing written", async () => {
    const { app, checkRun } = await shipped();
    await app.services.deps.writer.lock({
      repo: "acme/gitops-staging",
      path: "staging",
      env: "staging",
      by: "release-manager",
      reason: "freeze",
    });
    const before = gitopsSubjects(app.bare("acme/gitops-staging"));
    expect((await deliver(app, "check_run", buttonPress(checkRun, 1))).status).toBe(200);
    await app.waitIdle();
    expect(gh.current.deployments.size).toBe(0);
    expect(gitopsSubjects(app.bare("acme/gitops-staging"))).toEqual(before);
    const summary = firstRun().output.summary as string;
    expect(summaryRow(summary, "staging")).toMatch(/\| refused: locked \|$/);
    expect(summary).toMatch(
      /\*\*Deploy buttons\*\*\n- @octo-dev pressed Deploy to staging: refused \(`locked`\): environment staging is locked by @release-manager since \S+: freeze$/,
    );
  });

  test("production names acme/sre: a non-member is refused (not_a_deployer); a member's press releases, checked through the team API", async () => {
    const { app, checkRun } = await shipped();
    gh.current.teams.set("acme/sre", ["sre-alice"]);
    expect((await deliver(app, "check_run", buttonPress(checkRun, 0, "octo-dev"))).status).toBe(200);
    await app.waitIdle();
    expect(gh.current.deployments.size).toBe(0);
    let summary = firstRun().output.summary as string;
    expect(summaryRow(summary, "production")).toMatch(/\| refused: not_a_deployer \|$/);
    expect(summary).toContain(
      "- @octo-dev pressed Deploy to production: refused (`not_a_deployer`): environment production names its deployers (acme/sre); @octo-dev is not one of them",
    );

    const pressed = buttonPress(firstRun(), 0, "sre-alice");
    expect((await deliver(app, "check_run", pressed)).status).toBe(200);
    await app.waitIdle();
    expect(gh.current.deployments.size).toBe(1);
    expect(gitopsSubjects(app.bare("acme/gitops-production"))).toEqual([
      `[gimlet] production/shop deploy ${checkRun.head_sha.slice(0, 7)} by sre-alice`,
    ]);
    summary = firstRun().output.summary as string;
    expect(summaryRow(summary, "production")).toMatch(/\| committed [0-9a-f]{7} \|$/);
    // one write answers the press once its deployment exists: the push's outcome and the deployment link
    expect(summary).toMatch(/- @sre-alice pressed Deploy to production: committed [0-9a-f]{7} \(\[deployment\]\(/);
    expect(gh.current.find("GET", /\/orgs\/acme\/teams\/sre\/memberships\//).map((c) => c.path)).toEqual([
      "/orgs/acme/teams/sre/memberships/octo-dev",
      "/orgs/acme/teams/sre/memberships/sre-alice",
    ]);
  });

  test("a press on an app pinned by a rollback is refused (pinned): a button never undoes a rollback", async () => {
    const { app, checkRun } = await shipped();
    const { writer } = app.services.deps;
    const target = { repo: "acme/gitops-staging", path: "staging", env: "staging", app: "shop" };
    const files = [{ path: "configmap.yaml", content: "kind: ConfigMap\n" }];
    const release = (sha: string) => ({
      artifactId: "a",
      triggeredBy: "policy",
      version: { sha, repositoryName: "acme/shop" },
    });
    await writer.deploy({ ...target, files, release: release("1".repeat(40)) });
    await writer.deploy({
      ...target,
      files: [{ path: "configmap.yaml", content: "kind: ConfigMap\n# 2\n" }],
      release: release("2".repeat(40)),
    });
    await writer.rollback({ ...target, actor: "sre", owner: "acme/shop" });
    const before = gitopsSubjects(app.bare("acme/gitops-staging"));
    expect((await deliver(app, "check_run", buttonPress(checkRun, 1))).status).toBe(200);
    await app.waitIdle();
    expect(gitopsSubjects(app.bare("acme/gitops-staging"))).toEqual(before);
    expect(gh.current.deployments.size).toBe(0);
    const summary = firstRun().output.summary as string;
    expect(summaryRow(summary, "staging")).toMatch(/\| refused: pinned \|$/);
    expect(summary).toMatch(
      /refused \(`pinned`\): staging\/shop is pinned by a rollback to [0-9a-f]{7}; a button does not undo a rollback/,
    );
  });

  test("the same press delivered to two replicas at the same instant releases once", async () => {
    const { app, checkRun } = await shipped();
    const other = await apps.start({ root: app.root });
    const payload = buttonPress(checkRun, 1);
    const answers = await Promise.all([
      deliver(app, "check_run", payload, { id: "press-2" }),
      deliver(other, "check_run", payload, { id: "press-2" }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await app.waitIdle();
    await other.waitIdle();
    expect(gh.current.deployments.size).toBe(1);
    expect(gitopsSubjects(app.bare("acme/gitops-staging"))).toHaveLength(1);
    expect(gh.current.find("POST", "/repos/acme/shop/git/refs").map((c) => c.status)).toEqual([201, 422]);
  });

  test("the same press redelivered to another replica finds its claim and releases once", async () => {
    const { app, checkRun } = await shipped();
    const other = await apps.start({ root: app.root });
    const payload = buttonPress(checkRun, 1);
    await deliver(app, "check_run", payload, { id: "press-1" });
    await app.waitIdle();
    await deliver(other, "check_run", payload, { id: "press-1" });
    await other.waitIdle();
    expect(gh.current.deployments.size).toBe(1);
    expect(gitopsSubjects(app.bare("acme/gitops-staging"))).toHaveLength(1);
  });
});
