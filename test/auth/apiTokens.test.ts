import { createHash } from "node:crypto";
import { describe, expect, test } from "@jest/globals";
import { API_TOKEN, ApiTokenStore, AuthError, parseApiTokenRecords } from "../../app/auth/index.js";
import { ConfigError } from "../../shared/errors.js";

const sha = (token: string) => createHash("sha256").update(token).digest("hex");
const TOKEN = `gmlt_${"a1B2c3D4".repeat(5)}`;

function refusal(fn: () => unknown): AuthError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error("expected an AuthError");
}

function problems(json: string): string[] {
  try {
    parseApiTokenRecords(json);
  } catch (error) {
    if (error instanceof ConfigError)
      return error.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("ApiTokenStore", () => {
  const store = new ApiTokenStore([
    { name: "cli", sha256: sha(`gmlt_${"x".repeat(32)}`), repositories: ["*"] },
    { name: "jenkins", sha256: sha(TOKEN).toUpperCase(), repositories: ["acme/*"] },
  ]);

  test("a valid token is its record's caller", () => {
    expect(store.verify(TOKEN)).toEqual({ kind: "token", name: "jenkins", repositories: ["acme/*"] });
  });

  test("an unknown token is refused with 401", () => {
    expect(refusal(() => store.verify(`gmlt_${"b".repeat(40)}`))).toMatchObject({
      status: 401,
      reason: "unknown_token",
    });
  });

  test("a malformed token is refused before hashing", () => {
    const error = refusal(() => store.verify("gmlt_short"));
    expect(error).toMatchObject({ status: 401, reason: "malformed_token" });
    expect(error.message).toContain("at least 32 letters and digits");
  });

  test("generate makes a well-formed token whose record verifies", () => {
    const { token, record } = ApiTokenStore.generate({ name: "bot", repositories: ["acme/shop"] });
    expect(token).toMatch(API_TOKEN);
    expect(token).toHaveLength(45);
    expect(record).toEqual({ name: "bot", sha256: sha(token), repositories: ["acme/shop"] });
    expect(new ApiTokenStore([record]).verify(token).name).toBe("bot");
    expect(ApiTokenStore.generate({ name: "b", repositories: ["*"] }).token).not.toBe(token);
  });

  test("generate draws only base62 characters, even from biased bytes", () => {
    let n = 0;
    const random = (size: number) => Uint8Array.from({ length: size }, () => (n++ % 2 ? 255 : 61));
    expect(ApiTokenStore.generate({ name: "b", repositories: ["*"] }, random).token).toBe(`gmlt_${"z".repeat(40)}`);
  });
});

describe("parseApiTokenRecords", () => {
  const hash = sha(TOKEN);

  test("valid records parse, hashes lowercased", () => {
    expect(
      parseApiTokenRecords(JSON.stringify([{ name: "ci", sha256: hash.toUpperCase(), repositories: ["acme/*"] }])),
    ).toEqual([{ name: "ci", sha256: hash, repositories: ["acme/*"] }]);
    expect(parseApiTokenRecords("[]")).toEqual([]);
    const scoped = [
      { name: "circleci", sha256: hash, repositories: ["acme/*"], environments: ["staging", "preview-*"] },
    ];
    expect(parseApiTokenRecords(JSON.stringify(scoped))).toEqual(scoped);
    expect(new ApiTokenStore(scoped).verify(TOKEN)).toEqual({
      kind: "token",
      name: "circleci",
      repositories: ["acme/*"],
      environments: ["staging", "preview-*"],
    });
  });

  test("every mistake is a path: message problem", () => {
    const json = JSON.stringify([
      { name: "", sha256: "abc", repositories: [] },
      { name: "ci", sha256: TOKEN, repositories: ["acme/*"], scope: "all" },
      { name: "ci", sha256: hash, repositories: [""] },
      { name: "other", sha256: hash, repositories: ["x/*"] },
      { name: "scoped", sha256: sha(`${TOKEN}x`), repositories: ["x/*"], environments: [] },
      { name: "scoped2", sha256: sha(`${TOKEN}y`), repositories: ["x/*"], environments: [" "] },
      { name: "negated", sha256: sha(`${TOKEN}z`), repositories: ["!x/y"], environments: ["!production"] },
    ]);
    expect(problems(json)).toEqual(
      expect.arrayContaining([
        "[0].name: must be a non-empty name",
        "[0].sha256: must be the 64-character hex SHA-256 of the token",
        '[0].repositories: must list at least one repository glob, e.g. "acme/*"',
        "[1].sha256: is a token, not its hash: store the sha256 of the token, never the token itself",
        "[1].scope: unknown key",
        "[2].repositories[0]: must be a non-empty glob",
        '[4].environments: must list at least one environment glob, e.g. "staging"; leave the key out for every environment',
        "[5].environments[0]: must be a non-empty glob",
        '[6].repositories: only exclusions allow nothing: start with the globs to allow, e.g. ["acme/*", "!acme/secrets"]',
        '[6].environments: only exclusions allow nothing: start with the globs to allow, e.g. ["*", "!production"]',
      ]),
    );
  });

  test("duplicate names and hashes are reported", () => {
    const json = JSON.stringify([
      { name: "ci", sha256: hash, repositories: ["*"] },
      { name: "ci", sha256: hash, repositories: ["*"] },
    ]);
    expect(problems(json)).toEqual([
      "[1].name: duplicates the name of [0]",
      "[1].sha256: duplicates the sha256 of [0]",
    ]);
  });

  test("not JSON, or not an array", () => {
    expect(problems("{nope")[0]).toMatch(/^GIMLET_API_TOKENS is not JSON: /);
    expect(problems('{"name":"ci"}')).toHaveLength(1);
  });
});
