import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { parseActionInputs } from "../../actions/deploy/inputs.js";
import { runDeployAction } from "../../actions/deploy/main.js";
import { type Artifact, parseArtifact, templateVariables } from "../../shared/artifact/index.js";
import { loadCiEnv } from "../helpers/ciEnv.js";
import { exampleAppCopy, runGimlet } from "../helpers/cli.js";

// One code path: the Action, the orb, the GitLab component and the CLI all build the artifact with `ship`
// (plugins/cli/ship.ts). Over the three CIs' variable sets, the artifacts carry the same built-ins.
const BUILT_INS = ["REPO", "OWNER", "BRANCH", "TAG", "SHA", "EVENT", "PR_NUMBER", "ACTOR"] as const;

async function viaCli(fixture: string, extra: string[] = []): Promise<Artifact> {
  const { env } = loadCiEnv(fixture);
  const result = await runGimlet(["ship", "--dry-run", ...extra], { cwd: exampleAppCopy(), env });
  expect(result).toMatchObject({ code: 0 });
  return parseArtifact(JSON.parse(result.stdout));
}

/** `gimlet ship --dry-run` in a GitHub Actions environment with its own event payload (when given). */
async function viaCliEnv(env: Record<string, string>, payload?: unknown): Promise<Artifact> {
  const cwd = exampleAppCopy();
  if (payload) {
    writeFileSync(join(cwd, "event.json"), JSON.stringify(payload));
    env = { ...env, GITHUB_EVENT_PATH: join(cwd, "event.json") };
  }
  const result = await runGimlet(["ship", "--dry-run"], { cwd, env });
  expect(result).toMatchObject({ code: 0 });
  return parseArtifact(JSON.parse(result.stdout));
}

function view(artifact: Artifact) {
  const vars = templateVariables(artifact);
  return {
    ...Object.fromEntries(BUILT_INS.map((name) => [name, vars[name]])),
    targetBranch: artifact.version.targetBranch,
    sourceBranch: artifact.version.sourceBranch,
    environments: artifact.environments.map((m) => `${m.env}/${m.app}`),
  };
}

const scenarios = [
  {
    name: "a branch build",
    fixtures: ["github-push", "circleci-branch", "gitlab-branch"],
    expected: {
      REPO: "acme/shop",
      OWNER: "acme",
      BRANCH: "main",
      TAG: undefined,
      SHA: "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d",
      EVENT: "push",
      PR_NUMBER: undefined,
      ACTOR: "octocat",
      targetBranch: undefined,
      sourceBranch: undefined,
    },
  },
  {
    name: "a tag build",
    fixtures: ["github-tag", "circleci-tag", "gitlab-tag"],
    expected: {
      REPO: "acme/shop",
      OWNER: "acme",
      BRANCH: undefined,
      TAG: "v1.4.0",
      SHA: "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d",
      EVENT: "tag",
      PR_NUMBER: undefined,
      ACTOR: "octocat",
      targetBranch: undefined,
      sourceBranch: undefined,
    },
  },
  {
    name: "a pull/merge request build (head branch as branch, base as targetBranch, the head sha)",
    fixtures: ["github-pr", "circleci-pr", "gitlab-mr"],
    expected: {
      REPO: "acme/shop",
      OWNER: "acme",
      BRANCH: "feature/login-form",
      TAG: undefined,
      SHA: "9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4938271605",
      EVENT: "pr",
      PR_NUMBER: "42",
      ACTOR: "hubber",
      targetBranch: "main",
      sourceBranch: "feature/login-form",
    },
  },
];

describe("the same built-ins from every CI", () => {
  test.each(scenarios)("$name", async ({ fixtures, expected }) => {
    const rows: Record<string, unknown> = {};
    for (const fixture of fixtures) {
      // CircleCI does not say a PR's base branch; the orb's target-branch parameter passes it the way this flag does
      const extra = fixture === "circleci-pr" ? ["--target-branch", "main"] : [];
      rows[fixture] = view(await viaCli(fixture, extra));
    }
    const environments = ["production/shop", "staging/shop", "staging/shop", "staging/shop-worker"];
    expect(rows).toEqual(
      Object.fromEntries(fixtures.map((f) => [f, { ...expected, environments: expect.arrayContaining(environments) }])),
    );
  });

  test("the Action builds exactly what `gimlet ship` builds, through the same function", async () => {
    for (const fixture of ["github-push", "github-tag", "github-pr"]) {
      const { env, event } = loadCiEnv(fixture);
      const cwd = exampleAppCopy();
      const given: Record<string, string> = { "dry-run": "true", vars: "IMAGE_TAG=abc" };
      const logged: string[] = [];
      const result = await runDeployAction(
        parseActionInputs((name) => given[name] ?? ""),
        {
          env,
          event,
          cwd,
          idToken: () => Promise.reject(new Error("a dry run asks for no token")),
          setOutput: () => {},
          summary: async () => {},
          info: (line) => logged.push(line),
          warning: (line) => logged.push(line),
          mask: () => {},
        },
      );
      const cli = await runGimlet(["ship", "--dry-run", "--var", "IMAGE_TAG=abc"], { cwd, env });
      expect(result.artifact).toEqual(parseArtifact(JSON.parse(cli.stdout)));
    }
  });

  test("GitHub's other events: pull_request_target is a PR artifact of the head sha, workflow_dispatch a push of its ref", async () => {
    const pr = loadCiEnv("github-pr");
    const target = await viaCliEnv({
      ...pr.env,
      GITHUB_EVENT_NAME: "pull_request_target",
      GITHUB_REF: "refs/heads/main",
    });
    expect(target.version).toMatchObject({
      event: "pr",
      sha: "9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4938271605",
      targetBranch: "main",
    });
    const push = loadCiEnv("github-push");
    const dispatch = await viaCliEnv(
      { ...push.env, GITHUB_EVENT_NAME: "workflow_dispatch" },
      { inputs: {}, ref: "refs/heads/main" },
    );
    expect(dispatch.version).toMatchObject({
      event: "push",
      branch: "main",
      sha: "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d",
    });
  });

  test("CI secrets never reach the artifact, whichever CI built it", async () => {
    for (const fixture of ["github-pr", "circleci-pr", "gitlab-mr"]) {
      const { env } = loadCiEnv(fixture);
      const text = JSON.stringify(await viaCli(fixture, fixture === "circleci-pr" ? ["--target-branch", "main"] : []));
      for (const [name, value] of Object.entries(env))
        if (/TOKEN|PASSWORD|SECRET|ACCESS_KEY/.test(name))
          expect({ name, leaked: text.includes(value) }).toEqual({ name, leaked: false });
    }
  });
});
