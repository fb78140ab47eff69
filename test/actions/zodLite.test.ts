import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, test } from "@jest/globals";
import * as zod from "zod";
import { parseActionInputs } from "../../actions/deploy/inputs.js";
import { artifactFromCiEnv, parseArtifact } from "../../shared/artifact/index.js";
import * as realArtifactSchemas from "../../shared/artifact/schema.js";
import type { ConfigError } from "../../shared/errors.js";
import { manifestJsonSchema } from "../../shared/manifest/jsonSchema.js";
import { parseManifest } from "../../shared/manifest/load.js";
import * as realManifestSchemas from "../../shared/manifest/schema.js";
import { parseYamlDocuments } from "../../shared/manifest/yaml.js";
import { zodProblems } from "../../shared/validation.js";
import { ciEnvDir, exampleApp, loadCiEnv } from "../helpers/ciEnv.js";
import { tempDir } from "../helpers/gitRepos.js";
import { mutations, pick, seededRandom } from "../helpers/mutate.js";

// The Action's bundle validates with zodLite (actions/deploy/zodLite), built from the same schema sources with
// `zod` aliased as scripts/build-action.mjs aliases it. Here those sources are bundled that way and every value is
// parsed twice, by the zodLite build and by zod: the outcome must be the same, data (key order included) or problems.
type Parse = (value: unknown) => unknown;
interface LiteBuild {
  parseArtifact: Parse;
  parseManifest: (value: unknown, file: string) => unknown;
  parseActionInputs: (raw: (name: string) => string) => unknown;
  zodLite: {
    parses: { fast: number; full: number };
    useFullZod(load: () => typeof zod): void;
    z: { string(): Schema & { trim(): Schema }; literal(value: string): Schema };
  };
  manifestJsonSchema: () => unknown;
  artifactSchemas: Record<string, Schema>;
  manifestSchemas: Record<string, Schema>;
}
interface Schema {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: zod.ZodError };
}

let lite: LiteBuild;
beforeAll(async () => {
  const { bundleWithZodLite } = (await import(pathToFileURL(join(process.cwd(), "scripts/build-action.mjs")).href)) as {
    bundleWithZodLite(contents: string, outfile: string): Promise<void>;
  };
  const file = join(tempDir("gimlet-zodlite-"), "lite.mjs");
  await bundleWithZodLite(
    [
      'export { parseArtifact } from "./shared/artifact/parse.ts";',
      'export { parseManifest } from "./shared/manifest/load.ts";',
      'export { parseActionInputs } from "./actions/deploy/inputs.ts";',
      'export * as zodLite from "./actions/deploy/zodLite/index.ts";',
      'export * as artifactSchemas from "./shared/artifact/schema.ts";',
      'export * as manifestSchemas from "./shared/manifest/schema.ts";',
      'export { manifestJsonSchema } from "./shared/manifest/jsonSchema.ts";',
    ].join("\n"),
    file,
  );
  lite = (await import(pathToFileURL(file).href)) as LiteBuild;
  lite.zodLite.useFullZod(() => zod);
});

/**
 * A value as the code after the parse sees it: key order, keys present with undefined, NaN and prototypes included
 * (JSON.stringify would hide all four).
 */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return { array: value.map(shapeOf) };
  if (value === null || typeof value !== "object") return Number.isNaN(value) ? "NaN" : { [typeof value]: value };
  const proto = Object.getPrototypeOf(value);
  return {
    proto: proto === Object.prototype ? "Object" : proto === null ? "null" : "other",
    entries: Object.entries(value).map(([k, v]) => [k, shapeOf(v)]),
  };
}

type Outcome = { ok: unknown } | { problems: unknown };
function outcome(parse: () => unknown): Outcome {
  try {
    return { ok: shapeOf(parse()) };
  } catch (error) {
    // the zodLite build has its own copy of ConfigError
    const problems = (error as Partial<ConfigError>).problems;
    if (error instanceof Error && Array.isArray(problems)) return { problems };
    throw error;
  }
}

/** Both builds' outcome for one value; how often zodLite answered without zod. */
function compare(real: () => unknown, fromLite: () => unknown): { expected: Outcome; fast: boolean } {
  const before = lite.zodLite.parses.full;
  const got = outcome(fromLite);
  const expected = outcome(real);
  expect(got).toEqual(expected);
  return { expected, fast: lite.zodLite.parses.full === before };
}

const manifestFiles = readdirSync(join(exampleApp, ".gimlet")).map((f) => join(exampleApp, ".gimlet", f));
const manifests = manifestFiles.flatMap((f) => parseYamlDocuments(readFileSync(f, "utf8"), f));
const ciEnvs = readdirSync(ciEnvDir)
  .filter((f) => f.endsWith(".env"))
  .map((f) => f.replace(/\.env$/, ""));
function artifacts(): unknown[] {
  return ciEnvs.map((name) => {
    const { env, event } = loadCiEnv(name);
    return {
      ...artifactFromCiEnv(env, event).artifact,
      vars: { IMAGE_TAG: "abc123", REGION: "eu" },
      items: [{ name: "image", url: "https://ghcr.io/acme/shop", size: 3, signed: true }],
      environments: manifests,
    };
  });
}
const validInputs: Record<string, string> = { server: "https://gimlet.acme.dev", audience: "gimlet", wait: "false" };
const inputPool = ["", " true ", "YES", "0", "no", "maybe", "600", "-5", "1e3", "http://x", "ftp://x", ".gimlet", " "];

describe("zodLite, the Action's zod: the same outcome as zod for every value", () => {
  test("valid manifests, artifacts (one per CI fixture) and inputs: the same data, and zod is never loaded", () => {
    const cases = [
      ...manifests.map((m, i) =>
        compare(
          () => parseManifest(m, `m${i}`),
          () => lite.parseManifest(m, `m${i}`),
        ),
      ),
      ...artifacts().map((a) =>
        compare(
          () => parseArtifact(a),
          () => lite.parseArtifact(a),
        ),
      ),
      compare(
        () => parseActionInputs((n) => validInputs[n] ?? ""),
        () => lite.parseActionInputs((n) => validInputs[n] ?? ""),
      ),
    ];
    expect(cases.length).toBeGreaterThan(manifests.length + 9);
    for (const c of cases) {
      expect(c.expected).toHaveProperty("ok");
      expect(c.fast).toBe(true);
    }
  });

  test("1,000 mutated manifests and artifacts: the same data or the same problems", () => {
    const random = seededRandom(20261202);
    const seeds = [
      ...manifests.map((m) => ({ kind: "manifest", value: m })),
      ...artifacts().map((a) => ({ kind: "artifact", value: a })),
    ];
    const tally = { ok: 0, problems: 0, fast: 0 };
    for (let i = 0; i < 1000; i++) {
      const seed = seeds[Math.floor(random() * seeds.length)] as { kind: string; value: unknown };
      const value = mutations(seed.value, random);
      const c =
        seed.kind === "manifest"
          ? compare(
              () => parseManifest(value, "m"),
              () => lite.parseManifest(value, "m"),
            )
          : compare(
              () => parseArtifact(value),
              () => lite.parseArtifact(value),
            );
      if ("ok" in c.expected) tally.ok++;
      else tally.problems++;
      if (c.fast) tally.fast++;
    }
    // both sides of the port are exercised, and valid values do not go to zod
    expect(tally.ok).toBeGreaterThan(100);
    expect(tally.problems).toBeGreaterThan(100);
    expect(tally.fast).toBeGreaterThanOrEqual(tally.ok);
  });

  test("500 random sets of Action inputs: the same inputs or the same problems", () => {
    const random = seededRandom(7);
    const names = ["server", "token", "audience", "deploy", "app", "wait", "timeout", "vars", "manifests", "dry-run"];
    let problems = 0;
    for (let i = 0; i < 500; i++) {
      const raw: Record<string, string> = { ...validInputs };
      for (const name of names)
        if (random() < 0.3) raw[name] = inputPool[Math.floor(random() * inputPool.length)] as string;
      const c = compare(
        () => parseActionInputs((n) => raw[n] ?? ""),
        () => lite.parseActionInputs((n) => raw[n] ?? ""),
      );
      if ("problems" in c.expected) problems++;
    }
    expect(problems).toBeGreaterThan(50);
    expect(problems).toBeLessThan(450);
  });

  // Each part on its own, so that the edits land on every field of it (in a whole artifact most land in the values).
  const json6902Patch = {
    target: { kind: "Deployment", name: "shop", namespace: "default" },
    patch: [
      { op: "replace", path: "/spec/replicas", value: 2 },
      { op: "remove", path: "/x" },
    ],
  };
  const parts: [string, Record<string, unknown>, () => unknown[]][] = [
    ["versionSchema", realArtifactSchemas, () => artifacts().map((a) => (a as { version: unknown }).version)],
    ["itemSchema", realArtifactSchemas, () => artifacts().flatMap((a) => (a as { items: unknown[] }).items)],
    ["manifestSchema", realManifestSchemas, () => manifests],
    ["deployPolicySchema", realManifestSchemas, () => manifests.map((m) => (m as { deploy?: unknown }).deploy ?? {})],
    [
      "cleanupPolicySchema",
      realManifestSchemas,
      () => [{ event: "prClosed", branch: "feature/*", app: "a", ttl: "72h" }],
    ],
    ["chartSchema", realManifestSchemas, () => manifests.map((m) => (m as { chart?: unknown }).chart ?? {})],
    ["json6902PatchSchema", realManifestSchemas, () => [json6902Patch, { ...json6902Patch, patch: "- op: add" }]],
  ];
  test.each(parts)("%s: 2,000 mutated values, the same data or the same problems", (name, realModule, seeds) => {
    const real = realModule[name] as Schema;
    const mine = (lite.artifactSchemas[name] ?? lite.manifestSchemas[name]) as Schema;
    const parse = (schema: Schema, value: unknown): Outcome => {
      const result = schema.safeParse(value);
      return result.success ? { ok: shapeOf(result.data) } : { problems: zodProblems(result.error, value) };
    };
    const random = seededRandom(name.length * 7919);
    const values = seeds();
    const tally = { ok: 0, problems: 0 };
    for (const value of [...values, ...Array.from({ length: 2000 }, () => mutations(pick(values, random), random))]) {
      const expected = parse(real, value);
      expect(parse(mine, value)).toEqual(expected);
      tally["ok" in expected ? "ok" : "problems"]++;
    }
    expect(tally.ok).toBeGreaterThan(values.length);
    expect(tally.problems).toBeGreaterThan(100);
  });

  test("a zod method or builder zodLite does not model still works: zod answers it", () => {
    const { z } = lite.zodLite;
    const before = lite.zodLite.parses.full;
    const trimmed = z.string().trim();
    expect(trimmed.safeParse("  shop ")).toEqual({ success: true, data: "shop" });
    const literal = z.literal("push");
    expect(literal.safeParse("push")).toEqual(zod.literal("push").safeParse("push"));
    expect(zodProblems((literal.safeParse("tag") as { error: zod.ZodError }).error)).toEqual(
      zodProblems((zod.literal("push").safeParse("tag") as { error: zod.ZodError }).error),
    );
    expect(lite.zodLite.parses.full).toBe(before + 3);
  });

  test("zod's functions over schemas (toJSONSchema) and its values (ZodError) are zod's own", () => {
    expect(lite.manifestJsonSchema()).toEqual(manifestJsonSchema());
    const failed = (lite.zodLite.z as unknown as { literal(v: string): Schema }).literal("push").safeParse("tag");
    expect(failed.success).toBe(false);
    expect((failed as { error: unknown }).error).toBeInstanceOf(
      (lite.zodLite.z as unknown as { ZodError: new () => unknown }).ZodError,
    );
  });

  // Constructs the Action's schemas don't use (found by a review): each must still end as zod's.
  const symbol = Symbol("k");
  const constructs: [string, (z: any) => [Schema, unknown]][] = [
    ["optional over an unmodelled prefault", (z) => [z.string().prefault("x").optional(), undefined]],
    [
      "object key over an unmodelled catch",
      (z) => [z.object({ a: z.string().default("x").catch("y").optional() }), {}],
    ],
    [
      "union whose first option has an unmodelled nullish key",
      (z) => [z.union([z.object({ a: z.union([z.unknown(), z.string().nullish()]) }), z.looseObject({})]), { b: 1 }],
    ],
    ["min(2) counts code points", (z) => [z.string().min(2), "😀"]],
    [
      "superRefine pushing to ctx.issues",
      (z) => [
        z
          .string()
          .superRefine((_: unknown, ctx: any) => void ctx.issues.push({ code: "custom", message: "no", input: _ })),
        "bad",
      ],
    ],
    [
      "a null-prototype default is copied",
      (z) => [
        z.object({
          d: z
            .object({})
            .passthrough()
            .default(Object.assign(Object.create(null), { k: "v" })),
        }),
        {},
      ],
    ],
    ["a symbol key in a shape", (z) => [z.object({ [symbol]: z.string(), a: z.string() }), { a: "x" }]],
  ];
  test.each(constructs)("%s: zod's outcome", (_, build) => {
    const outcomeOf = (z: unknown) => {
      const [schema, value] = build(z);
      const result = schema.safeParse(value);
      return result.success ? { ok: shapeOf(result.data) } : { problems: zodProblems(result.error, value) };
    };
    expect(outcomeOf(lite.zodLite.z)).toEqual(outcomeOf(zod));
  });
});
