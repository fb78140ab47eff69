import { createHash } from "node:crypto";
import { describe, expect, test } from "@jest/globals";
import { api, deliver, exampleConfig, fluxEvent, postFlux, tipOf } from "../helpers/appHarness.js";

const AGENT_TOKEN = "gimlet-agent-token-for-the-commands-test";

import { useCommandFixture } from "../helpers/commandFixture.js";
import {
  COMMENTER,
  COMMITTED_AT,
  commentPayload,
  gitopsSubjects,
  HEAD,
  PR,
  prArtifact,
  REPO,
  replies,
  shipPrArtifact,
  shipper,
} from "../helpers/commands.js";
import { show } from "../helpers/gitRepos.js";

const { gh, apps, setup, command, expectRefused } = useCommandFixture();

describe("/gimlet deploy", () => {
  test("deploys the PR head's artifact: 👀, one reply edited queued → committed with links, 🚀, the comment id in the payload", async () => {
    const { app, artifactId, staging } = await setup();
    await command(app, "/gimlet deploy staging");

    const deployments = [...gh.current.deployments.values()];
    expect(deployments).toHaveLength(1);
    expect(deployments[0]).toMatchObject({
      ref: HEAD,
      environment: "staging",
      payload: { commentId: 900001, prNumber: PR, artifactId, app: "shop", env: "staging", triggeredBy: COMMENTER },
    });
    expect(gitopsSubjects(staging)).toEqual([`[gimlet] staging/shop deploy ${HEAD.slice(0, 7)} by ${COMMENTER}`]);
    expect(show(staging, "main", "staging/shop/deployment.yaml")).toContain(`ghcr.io/acme/shop:${HEAD}`);
    const [reply] = replies(gh.current);
    expect(replies(gh.current)).toHaveLength(1);
    expect(reply).toContain("<!-- gimlet:reply 900001 -->");
    expect(reply).toContain(
      `Deploying \`shop\` at \`${HEAD.slice(0, 7)}\` to **staging**, requested by @${COMMENTER}.`,
    );
    expect(reply).toContain("| State | 📝 committed: waiting for Flux to apply it |");
    expect(reply).toMatch(/\| Gitops commit \| \[`[0-9a-f]{7}`\]\(file:\/\/.+gitops-staging\.git#[0-9a-f]{40}\) \|/);
    expect(reply).toContain("| Deployment | [staging/shop](https://github.com/acme/shop/deployments/staging) |");
    expect(reply).toContain("| Environment | https://shop.staging.acme.dev |");
    expect(gh.current.reactionsOf(900001)).toEqual(["eyes", "rocket"]);
    // the reply was created once, then edited
    expect(gh.current.find("POST", `/repos/${REPO}/issues/${PR}/comments`)).toHaveLength(1);
    expect(gh.current.find("PATCH", /\/issues\/comments\/\d+$/).length).toBeGreaterThanOrEqual(1);
  });

  test("Flux applying the commit moves the reply on to applied, links kept", async () => {
    const { app, staging } = await setup();
    await command(app, "/gimlet deploy staging");
    expect(replies(gh.current)[0]).toContain("| State | 📝 committed: waiting for Flux to apply it |");
    const tip = tipOf(staging);
    expect((await postFlux(app, "acme/gitops-staging", fluxEvent(tip))).status).toBe(200);
    await app.waitIdle();
    expect(replies(gh.current)[0]).toContain(`| State | ✅ applied: Flux applied \`${tip.slice(0, 7)}\` |`);
    // the links stay
    expect(replies(gh.current)[0]).toContain(
      "| Deployment | [staging/shop](https://github.com/acme/shop/deployments/staging) |",
    );
  });

  test("with agent health required, the cluster agent's rollout report moves the reply on to healthy", async () => {
    const { app, staging } = await setup({ requireAgentHealth: true });
    app.services.agentTokens.push({ sha256: createHash("sha256").update(AGENT_TOKEN).digest("hex") });
    await command(app, "/gimlet deploy staging");
    const tip = tipOf(staging);
    await postFlux(app, "acme/gitops-staging", fluxEvent(tip));
    await app.waitIdle();
    expect(replies(gh.current)[0]).toContain(
      `| State | ✅ applied: Flux applied \`${tip.slice(0, 7)}\`; waiting for the rollout |`,
    );
    const report = (ready: number, extra = {}) =>
      api(app, "POST", "/api/agent/events?repository=acme/gitops-staging", {
        token: AGENT_TOKEN,
        body: { env: "staging", app: "shop", gitopsRevision: tip, ready, desired: 2, ...extra },
      });
    expect((await report(2)).status).toBe(200);
    await app.waitIdle();
    expect(replies(gh.current)[0]).toContain(`| State | ✅ healthy: rollout healthy at \`${tip.slice(0, 7)}\` |`);
    expect(replies(gh.current)).toHaveLength(1);
  });

  test("without an env: the one non-production env of the artifact; production is never chosen for you", async () => {
    const { app, staging } = await setup();
    await command(app, "/gimlet deploy");
    expect(gitopsSubjects(staging)).toEqual([`[gimlet] staging/shop deploy ${HEAD.slice(0, 7)} by ${COMMENTER}`]);
  });

  test("a preview app by its released name: deployed as shop-pr-7, and its row lands in the PR's preview comment", async () => {
    const app = await apps.start({ tokens: [shipper.record] });
    gh.current.serve(REPO, { ".github/gimlet.yml": exampleConfig });
    gh.current.pull(REPO, PR, HEAD);
    gh.current.permissions.set(`${REPO}:${COMMENTER}`, "write");
    // the preview manifest has a cleanup.ttl but no deploy block: ship it, then remove the policy's preview by hand
    await shipPrArtifact(app, prArtifact(HEAD, [".gimlet/staging.yaml", ".gimlet/preview.yaml"]));
    await app.waitIdle();
    const staging = app.bare("acme/gitops-staging");
    await app.services.deps.writer.remove({
      repo: "acme/gitops-staging",
      path: "staging",
      env: "staging",
      app: "shop-pr-7",
      reason: "test",
    });
    await command(app, "/gimlet deploy staging shop-pr-7");
    expect(gitopsSubjects(staging)[0]).toBe(`[gimlet] staging/shop-pr-7 deploy ${HEAD.slice(0, 7)} by ${COMMENTER}`);
    const preview = replies(gh.current).find((b) => b.startsWith("<!-- gimlet:previews -->"));
    // the row now names the command's commit (the policy's earlier one was replaced)
    expect(preview).toContain(
      `| \`shop-pr-7\` | staging | \`7e57ab1\` | committed \`${tipOf(staging).slice(0, 7)}\` |`,
    );
  });

  test("production needs the env named: an artifact with only production manifests → env_required", async () => {
    const app = await apps.start({ tokens: [shipper.record] });
    gh.current.serve(REPO, { ".github/gimlet.yml": exampleConfig });
    gh.current.pull(REPO, PR, HEAD);
    gh.current.permissions.set(`${REPO}:${COMMENTER}`, "admin");
    await shipPrArtifact(app, prArtifact(HEAD, [".gimlet/production.yaml"]));
    await command(app, "/gimlet deploy");
    expectRefused(
      [app.bare("acme/gitops-staging"), app.bare("acme/gitops-production")],
      "env_required",
      "production environments are never chosen for you",
    );
  });
});

describe("delivery and replicas", () => {
  test("GitHub failing mid-command frees the 👀 claim, so GitHub's redelivery runs the command once", async () => {
    const { app, staging } = await setup();
    gh.current.failOnce((c) => c.method === "GET" && c.path === `/repos/${REPO}/pulls/${PR}`, 502);
    const payload = commentPayload("/gimlet deploy staging");
    expect((await deliver(app, "issue_comment", payload, { id: "flaky-1" })).status).toBe(500);
    expect(gh.current.reactionsOf(900001)).toEqual([]);
    expect(replies(gh.current)).toEqual([]);
    expect((await deliver(app, "issue_comment", payload, { id: "flaky-1" })).status).toBe(200);
    await app.waitIdle();
    expect(gitopsSubjects(staging)).toHaveLength(1);
    expect(gh.current.reactionsOf(900001)).toEqual(["eyes", "rocket"]);
  });

  test("a repository without .github/gimlet.yml gets an answer (invalid_config), not a silent failure", async () => {
    const app = await apps.start({ tokens: [shipper.record] });
    gh.current.pull(REPO, PR, HEAD);
    expect((await deliver(app, "issue_comment", commentPayload("/gimlet deploy staging"))).status).toBe(200);
    await app.waitIdle();
    expect(replies(gh.current)[0]).toContain(
      "❌ **Failed** (`invalid_config`), @octo-dev: .github/gimlet.yml: no Gimlet configuration in acme/shop or acme/.github; add .github/gimlet.yml with your environments",
    );
    expect(gh.current.reactionsOf(900001)).toEqual(["eyes", "confused"]);
  });

  test("a bot's comment (the app's own replies quote the command) is never run", async () => {
    const { app } = await setup();
    const payload = commentPayload("/gimlet deploy staging");
    payload.comment.user.type = "Bot";
    const before = gh.current.calls.length;
    expect((await deliver(app, "issue_comment", payload)).status).toBe(200);
    expect(gh.current.calls.length).toBe(before);
  });
});

describe("/gimlet rollback", () => {
  test("restores the release before the current one, pinned; with one release only → no_rollback_target, nothing written", async () => {
    const { app, staging } = await setup();
    await command(app, "/gimlet rollback staging", { id: 900009 });
    expect(replies(gh.current)[0]).toContain(
      "**Refused** (`unknown_app`), @octo-dev: acme/shop has no app in `staging` to roll back",
    );
    await command(app, "/gimlet deploy staging", { id: 900011 });
    const first = gitopsSubjects(staging);
    const deploymentsBefore = gh.current.deployments.size;
    await command(app, "/gimlet rollback staging", { id: 900010 });
    expect(replies(gh.current).at(-1)).toContain(
      "**Refused** (`no_rollback_target`), @octo-dev: can't roll back `staging/shop`: no release before the current one of staging/shop to roll back to",
    );
    expect(gitopsSubjects(staging)).toEqual(first);
    expect(gh.current.deployments.size).toBe(deploymentsBefore);

    const HEAD2 = "5eca7e5eca7e5eca7e5eca7e5eca7e5eca7e5eca";
    gh.current.pull(REPO, PR, HEAD2);
    gh.current.commitDates.set(HEAD2, COMMITTED_AT);
    gh.current.pushedAt.set(HEAD2, COMMITTED_AT);
    await shipPrArtifact(app, prArtifact(HEAD2));
    await command(app, "/gimlet deploy staging", { id: 900012 });
    expect(gitopsSubjects(staging)).toHaveLength(first.length + 1);
    const deployCommit = show(staging, "main~1", "staging/shop/release.json");
    expect(deployCommit).toContain(HEAD);

    await command(app, "/gimlet rollback staging", { id: 900013 });
    const subjects = gitopsSubjects(staging);
    expect(subjects[0]).toMatch(new RegExp(`^\\[gimlet\\] staging/shop rollback to [0-9a-f]{7} by ${COMMENTER}$`));
    const release = JSON.parse(show(staging, "main", "staging/shop/release.json") ?? "{}");
    expect(release).toMatchObject({ pinned: true, version: { sha: HEAD }, triggeredBy: COMMENTER });
    const rollbackDeployment = [...gh.current.deployments.values()].at(-1);
    expect(rollbackDeployment?.payload).toMatchObject({ commentId: 900013, rollbackOf: expect.any(String) });
    const reply = replies(gh.current).at(-1) as string;
    expect(reply).toContain("Rolling back `shop` in **staging** to gitops");
    expect(reply).toContain("| State | 📝 committed: waiting for Flux to apply it |");
    expect(gh.current.reactionsOf(900013)).toEqual(["eyes", "rocket"]);
  });
});

describe("/gimlet lock, unlock, status, help", () => {
  test("a team member of the env's deployers locks production; status shows it; unlock releases it", async () => {
    const { app, production } = await setup();
    gh.current.teams.set("acme/sre", [COMMENTER]);
    await command(app, "/gimlet lock production db migration");
    expect(gitopsSubjects(production)).toEqual([`[gimlet] production lock by ${COMMENTER} (db migration)`]);
    expect(JSON.parse(show(production, "main", ".gimlet/lock.json") ?? "{}")).toMatchObject({
      by: COMMENTER,
      reason: "db migration",
      source: `${REPO}#${PR}`,
    });
    expect(replies(gh.current)[0]).toContain("🔒 `production` is locked by @octo-dev: db migration");

    await command(app, "/gimlet status", { id: 900002 });
    expect(replies(gh.current)[1]).toContain("**production** 🔒 locked by @octo-dev since");

    await command(app, "/gimlet unlock production", { id: 900003 });
    expect(gitopsSubjects(production)[0]).toBe(`[gimlet] production unlock by ${COMMENTER}`);
    expect(show(production, "main", ".gimlet/lock.json")).toBeUndefined();
    // membership was asked once: the answer is cached briefly
    expect(gh.current.find("GET", `/orgs/acme/teams/sre/memberships/${COMMENTER}`)).toHaveLength(1);
    expect(gh.current.reactionsOf(900003)).toEqual(["eyes", "rocket"]);
  });

  test("status: a table per env of this repository's apps with version, PR, age, state and pins", async () => {
    const { app } = await setup();
    await command(app, "/gimlet deploy staging");
    await command(app, "/gimlet status", { id: 900002 });
    const status = replies(gh.current)[1];
    expect(status).toContain("**staging** (not locked)");
    expect(status).toMatch(
      new RegExp(`\\| \`shop\` \\| \`${HEAD.slice(0, 7)}\` \\| #7 \\| \\d+[mhd] \\| committed \\|  \\|`),
    );
    expect(status).toContain("**production** (not locked)\n\nNo app of this repository is deployed here.");
  });

  test("help answers the grammar and the environments", async () => {
    const { app } = await setup({ artifact: false });
    await command(app, "/gimlet help");
    expect(replies(gh.current)[0]).toContain("Environments: `staging`, `production`");
    expect(gh.current.reactionsOf(900001)).toEqual(["eyes", "rocket"]);
  });
});
