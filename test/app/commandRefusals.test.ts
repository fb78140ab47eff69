import { describe, expect, test } from "@jest/globals";
import { useCommandFixture } from "../helpers/commandFixture.js";
import { COMMENTER, gitopsSubjects, HEAD, PR, REPO } from "../helpers/commands.js";

// `/gimlet deploy`'s safety rules, each through the real server with a signed issue_comment payload.
const { gh, setup, command, expectRefused } = useCommandFixture();

describe("/gimlet deploy: every safety rule refuses with its reason, writes nothing and creates no deployment", () => {
  test("no_permission: read access is not enough", async () => {
    const { app, staging } = await setup();
    gh.current.permissions.set(`${REPO}:${COMMENTER}`, "read");
    await command(app, "/gimlet deploy staging");
    expectRefused(
      [staging],
      "no_permission",
      "@octo-dev has `read` access to acme/shop; changing `staging` needs write, maintain or admin",
    );
  });

  test("not_a_deployer: production names acme/sre; admin access alone is not enough", async () => {
    const { app, staging, production } = await setup();
    gh.current.permissions.set(`${REPO}:${COMMENTER}`, "admin");
    gh.current.teams.set("acme/sre", ["someone-else"]);
    await command(app, "/gimlet deploy production");
    expectRefused(
      [staging, production],
      "not_a_deployer",
      "environment `production` names its deployers (`acme/sre`); @octo-dev is not one of them",
    );
    expect(gh.current.find("GET", `/orgs/acme/teams/sre/memberships/${COMMENTER}`)).toHaveLength(1);
  });

  test("fork_pr: a PR from a fork is refused", async () => {
    const { app, staging } = await setup();
    gh.current.pull(REPO, PR, HEAD, {
      head: { sha: HEAD, ref: "patch-1", repo: { full_name: "mallory/shop" } },
    });
    await command(app, "/gimlet deploy staging");
    expectRefused([staging], "fork_pr", "this pull request comes from a fork (mallory/shop)");
  });

  test("pr_closed: a closed or merged PR is refused", async () => {
    const { app, staging } = await setup();
    gh.current.pull(REPO, PR, HEAD, { state: "closed", merged: true });
    await command(app, "/gimlet deploy staging");
    expectRefused([staging], "pr_closed", "this pull request is merged; commands need an open PR");
  });

  // a head committed after the comment, and one committed before it (or with a backdated committer date) but pushed
  // after it: GitHub's check suite of the commit is its push
  test.each([
    ["committed", "commitDates"],
    ["pushed", "pushedAt"],
  ] as const)(
    "stale_head: a head %s after the comment was written refuses instead of deploying it",
    async (what, map) => {
      const { app, staging } = await setup();
      gh.current[map].set(HEAD, "2026-01-01T10:06:00Z");
      await command(app, "/gimlet deploy staging");
      expectRefused(
        [staging],
        "stale_head",
        `the PR head moved to \`7e57ab1\` (${what} 2026-01-01T10:06:00Z) after your comment`,
      );
    },
  );

  test("no_artifact: CI has not shipped the head yet", async () => {
    const { app, staging } = await setup({ artifact: false });
    await command(app, "/gimlet deploy staging");
    expectRefused([staging], "no_artifact", "CI has not shipped an artifact for the PR head `7e57ab1` yet");
  });

  test("locked: someone else's lock refuses, saying who, since when and why", async () => {
    const { app, staging } = await setup();
    await app.services.deps.writer.lock({
      repo: "acme/gitops-staging",
      path: "staging",
      env: "staging",
      by: "release-manager",
      reason: "freeze for the sale",
    });
    const before = gitopsSubjects(staging);
    await command(app, "/gimlet deploy staging");
    expectRefused(
      [staging],
      "locked",
      /environment `staging` is locked by @release-manager since \d{4}-\d\d-\d\dT[0-9:.]+Z: freeze for the sale/,
      [before],
    );
  });

  test("unknown_env: answers with help listing the valid environments", async () => {
    const { app, staging } = await setup();
    await command(app, "/gimlet deploy qa");
    const reply = expectRefused([staging], "unknown_env", "there is no environment `qa`");
    expect(reply).toContain("Environments: `staging`, `production`");
    expect(reply).toContain("/gimlet deploy <env> [app]");
  });

  test("unknown_app: answers with the apps of the env", async () => {
    const { app, staging } = await setup();
    await command(app, "/gimlet deploy staging cart");
    const reply = expectRefused([staging], "unknown_app", "there is no app `cart` in `staging`");
    expect(reply).toContain("Apps: `shop`");
  });

  test("unknown_command: answers with help", async () => {
    const { app, staging } = await setup();
    await command(app, "/gimlet ship staging");
    const reply = expectRefused([staging], "unknown_command", "`ship` is not a gimlet command");
    expect(reply).toContain("/gimlet rollback <env> [app] [to <gitopsSha>]");
  });

  test("a comment whose first line is not a command costs no GitHub call", async () => {
    const { app } = await setup();
    const before = gh.current.calls.length;
    await command(app, "LGTM!\n/gimlet deploy staging");
    expect(gh.current.calls.length).toBe(before);
  });
});
