import { describe, expect, test } from "@jest/globals";
import { ConfigError } from "../errors.js";
import {
  ARTIFACT_ID,
  assignServerFields,
  MAX_ARTIFACT_BYTES,
  parseArtifact,
  parseArtifactJson,
  templateVariables,
  ulid,
} from "./index.js";

const SHA = "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d";
const version = { repositoryName: "acme/shop", sha: SHA, branch: "main" };
const fixedRandom = (n: number) => new Uint8Array(n).fill(7);

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseArtifact", () => {
  test("a missing event means push; defaults fill vars, context, items, environments", () => {
    const artifact = parseArtifact({ version });
    expect(artifact.version.event).toBe("push");
    expect(artifact).toMatchObject({ vars: {}, context: {}, items: [], environments: [] });
  });

  test("an unknown event names the field", () => {
    expect(problemsOf(() => parseArtifact({ version: { ...version, event: "deploy" } }))).toEqual([
      "version.event: must be one of push, tag, pr",
    ]);
  });

  test("every problem is listed at once", () => {
    const problems = problemsOf(() =>
      parseArtifact({ version: { repositoryName: "shop", sha: "abc", event: "tag" }, vars: { "1BAD": "x" }, extra: 1 }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        "version.repositoryName: must be owner/repo",
        "version.sha: must be a full 40-character lowercase hex commit sha",
        "vars.1BAD: variable names are letters, digits and _, not starting with a digit",
        "extra: unknown key",
      ]),
    );
  });

  test("pr artifacts need a head branch and a PR number; branch and sourceBranch fill each other", () => {
    expect(
      problemsOf(() => parseArtifact({ version: { repositoryName: "acme/shop", sha: SHA, event: "pr" } })),
    ).toEqual(
      expect.arrayContaining([
        "version.branch: required for a pr artifact: the PR head branch",
        "version.prNumber: required for a pr artifact",
      ]),
    );
    const pr = parseArtifact({
      version: { repositoryName: "acme/shop", sha: SHA, event: "pr", sourceBranch: "feat", prNumber: "7" },
    });
    expect(pr.version).toMatchObject({ branch: "feat", sourceBranch: "feat", prNumber: 7 });
  });

  test("tag artifacts need a tag", () => {
    expect(
      problemsOf(() => parseArtifact({ version: { repositoryName: "acme/shop", sha: SHA, event: "tag" } })),
    ).toEqual(["version.tag: required for a tag artifact"]);
  });

  test("Gimlet's unix-second timestamps are normalised", () => {
    const artifact = parseArtifact({ version: { ...version, created: 1763647391 }, created: 1763647391 });
    expect(artifact.version.created).toBe("2025-11-20T14:03:11.000Z");
  });

  test("secrets in vars, context or items are refused", () => {
    const problems = problemsOf(() =>
      parseArtifact({
        version,
        vars: { GH: "ghp_0123456789abcdefghijABCDEFGHIJ012345", DB_PASSWORD: "x" },
        context: { KEY: "-----BEGIN RSA PRIVATE KEY-----" },
        items: [{ name: "db", url: "postgres://user:hunter2@db/app" }],
      }),
    );
    expect(problems.map((p) => p.split(":")[0])).toEqual(
      expect.arrayContaining(["vars.GH", "vars.DB_PASSWORD", "context.KEY", "items[0].url"]),
    );
    expect(problems.join("\n")).toMatch(/looks like a GitHub token/);
  });
});

describe("parseArtifactJson", () => {
  test("broken JSON is a ConfigError", () => {
    expect(problemsOf(() => parseArtifactJson('{"version": ', "a.json"))[0]).toMatch(/^a\.json: not valid JSON/);
  });

  test("a 2 MiB artifact is refused before parsing", () => {
    const big = JSON.stringify({ version, vars: { BIG: "x".repeat(2 * MAX_ARTIFACT_BYTES) } });
    const started = Date.now();
    expect(problemsOf(() => parseArtifactJson(big))).toEqual(["artifact: artifact is 2.0 MiB; the limit is 1.0 MiB"]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test("a JSON array is not an artifact", () => {
    expect(problemsOf(() => parseArtifactJson("[]"))).toEqual(["artifact: expected a JSON object"]);
  });
});

describe("ids", () => {
  test("the server replaces a client's id and created", () => {
    const artifact = parseArtifact({ id: "../../evil", created: "2000-01-01T00:00:00Z", version });
    const stored = assignServerFields(artifact, new Date("2026-11-22T10:00:00Z"), fixedRandom);
    expect(stored.id).toMatch(ARTIFACT_ID);
    expect(stored.id.startsWith("acme-shop-")).toBe(true);
    expect(stored.created).toBe("2026-11-22T10:00:00.000Z");
  });

  test("ULIDs sort by time and are URL-safe", () => {
    const a = ulid(1_700_000_000_000, fixedRandom);
    const b = ulid(1_700_000_000_001, fixedRandom);
    expect(a < b).toBe(true);
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(encodeURIComponent(a)).toBe(a);
  });

  test("GitLab subgroups make a flat id", () => {
    const artifact = parseArtifact({ version: { ...version, repositoryName: "acme/platform/shop" } });
    expect(assignServerFields(artifact, new Date(0), fixedRandom).id).toMatch(/^acme-platform-shop-/);
  });
});

describe("templateVariables", () => {
  test("context < items < vars < built-ins, then APP and ENV", () => {
    const artifact = parseArtifact({
      version: { ...version, event: "push" },
      context: { A: "context", B: "context", SHA: "spoofed", ACTOR: "octocat" },
      items: [{ name: "image", url: "ghcr.io/acme/shop:1", B: "item", C: "item" }],
      vars: { C: "vars", BRANCH: "spoofed" },
    });
    const vars = templateVariables(artifact, { app: "shop", env: "staging" });
    expect(vars).toMatchObject({
      A: "context",
      B: "item",
      C: "vars",
      SHA,
      BRANCH: "main",
      ACTOR: "octocat",
      APP: "shop",
      ENV: "staging",
      url: "ghcr.io/acme/shop:1",
    });
    expect(vars.TAG).toBeUndefined();
  });
});
