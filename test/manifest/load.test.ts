import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { ConfigError } from "../../shared/errors.js";
import { loadManifests, manifestJsonSchema } from "../../shared/manifest/index.js";
import { exampleApp } from "../helpers/ciEnv.js";

const load = (text: string, file = ".gimlet/staging.yaml") => loadManifests([{ file, text }]);

function problems(text: string): string[] {
  try {
    load(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const base = "app: shop\nenv: staging\n";

function billionLaughs(levels: number, fanout: number): string {
  let yaml = `${base}values:\n  l0: &l0 "lol"\n`;
  for (let i = 1; i <= levels; i++)
    yaml += `  l${i}: &l${i} [${Array(fanout)
      .fill(`*l${i - 1}`)
      .join(", ")}]\n`;
  return yaml;
}

describe("loading .gimlet manifests", () => {
  test("the example app's manifests load", () => {
    const dir = join(exampleApp, ".gimlet");
    const sources = readdirSync(dir).map((f) => ({ file: `.gimlet/${f}`, text: readFileSync(join(dir, f), "utf8") }));
    const loaded = loadManifests(sources);
    expect(
      loaded.map((l) => `${l.manifest.env}/${l.manifest.app}${l.manifest.preview ? " (preview)" : ""}`).sort(),
    ).toEqual(["production/shop", "staging/shop", "staging/shop (preview)", "staging/shop-worker"]);
  });

  test("an unknown key is an error with its path", () => {
    expect(problems(`${base}valuez: {}\ndeploy:\n  evnt: push\n`).sort()).toEqual([
      ".gimlet/staging.yaml: deploy.evnt: unknown key",
      ".gimlet/staging.yaml: valuez: unknown key",
    ]);
  });

  test("an unquoted !main says to quote it", () => {
    const [problem] = problems(`${base}deploy:\n  event: push\n  branch: !main\n`);
    expect(problem).toMatch(/^\.gimlet\/staging\.yaml:5:11: !main is read by YAML as a tag/);
    expect(problem).toContain('write branch: "!main"');
  });

  test("an unquoted * says to quote it", () => {
    const [problem] = problems(`${base}deploy:\n  event: push\n  branch: *\n`);
    expect(problem).toMatch(/\* is read by YAML as an alias/);
    expect(problem).toContain('write branch: "*"');
  });

  test("an unquoted *-glob like *-release says to quote it", () => {
    expect(problems(`${base}deploy:\n  event: push\n  branch: *-release\n`)[0]).toContain('write branch: "*-release"');
  });

  test("a YAML bomb inside values is refused fast", () => {
    const started = Date.now();
    expect(problems(billionLaughs(9, 9))[0]).toMatch(/alias/i);
    expect(problems(billionLaughs(12, 4))[0]).toMatch(/expands to more than 100000 nodes/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("a few aliases are fine", () => {
    const [loaded] = load(`${base}values:\n  a: &x {cpu: 1}\n  b: *x\n`);
    expect(loaded!.manifest.values).toEqual({ a: { cpu: 1 }, b: { cpu: 1 } });
  });

  test("a branch without an event is an error, not a silent no-op (differs from Gimlet)", () => {
    expect(problems(`${base}deploy:\n  branch: main\n`)).toEqual([
      ".gimlet/staging.yaml: deploy.event: a branch policy needs an event: add `event: push` or `event: pr`",
    ]);
  });

  test("a tag with another event is an error", () => {
    expect(problems(`${base}deploy:\n  event: push\n  tag: v*\n`)).toEqual([
      ".gimlet/staging.yaml: deploy.event: a tag policy needs `event: tag`",
    ]);
  });

  test("unknown events list the valid ones", () => {
    expect(problems(`${base}deploy:\n  event: merge\n`)).toEqual([
      ".gimlet/staging.yaml: deploy.event: must be one of push, tag, pr",
    ]);
  });

  test("names that would escape a folder are refused", () => {
    expect(problems("app: ../x\nenv: ../../etc\n")).toEqual([
      expect.stringMatching(/^\.gimlet\/staging\.yaml: app: must be a DNS label/),
      expect.stringMatching(/^\.gimlet\/staging\.yaml: env: must be a DNS label/),
    ]);
  });

  test("problems of several files are reported together", () => {
    try {
      loadManifests([
        { file: "a.yaml", text: "app: a\n" },
        { file: "b.yaml", text: "app: b\nenv: x\nfoo: 1\n" },
      ]);
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.path)).toEqual(["a.yaml: env", "b.yaml: foo"]);
    }
  });

  test("two manifests for one env/app are a conflict", () => {
    expect(() =>
      loadManifests([
        { file: "a.yaml", text: base },
        { file: "b.yaml", text: base },
      ]),
    ).toThrow(/already defined in a\.yaml/);
  });

  test("empty files, broken YAML and huge files are clear errors", () => {
    expect(problems("")).toEqual([".gimlet/staging.yaml: no manifest in this file"]);
    expect(problems("app: [unclosed\n")[0]).toMatch(/^\.gimlet\/staging\.yaml:\d+:\d+: invalid YAML/);
    expect(problems(`${base}manifests: "${"x".repeat(1100 * 1024)}"\n`)).toEqual([
      ".gimlet/staging.yaml: file is 1.1 MiB; the limit is 1.0 MiB",
    ]);
  });

  test("the JSON Schema describes every key and forbids unknown ones", () => {
    const schema = manifestJsonSchema() as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
      required: string[];
    };
    expect(Object.keys(schema.properties).sort()).toEqual(
      [
        "app",
        "chart",
        "cleanup",
        "deploy",
        "env",
        "json6902Patches",
        "manifests",
        "namespace",
        "preview",
        "strategicMergePatches",
        "values",
      ].sort(),
    );
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["app", "env"]);
  });
});
