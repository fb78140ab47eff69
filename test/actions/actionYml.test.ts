import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { load } from "js-yaml";
import { z } from "zod";
import { actionInputs, actionOutputs, parseActionInputs } from "../../actions/deploy/inputs.js";
import { repoRoot } from "../helpers/ciEnv.js";

// GitHub's action metadata syntax (docs: "Metadata syntax for GitHub Actions"), the parts this Action uses.
const actionYmlSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  author: z.string().optional(),
  branding: z.strictObject({ icon: z.string(), color: z.string() }).optional(),
  inputs: z.record(
    z.string(),
    z.strictObject({
      description: z.string().min(1),
      required: z.boolean().optional(),
      default: z.string().optional(),
    }),
  ),
  outputs: z.record(z.string(), z.strictObject({ description: z.string().min(1) })),
  runs: z.strictObject({ using: z.literal("node24"), main: z.literal("dist/deploy/index.js") }),
});

const actionYml = actionYmlSchema.parse(load(readFileSync(join(repoRoot, "action.yml"), "utf8")));

describe("action.yml and the input schema stay in step", () => {
  test("same inputs, required flags, defaults and descriptions", () => {
    expect(Object.keys(actionYml.inputs)).toEqual(Object.keys(actionInputs));
    for (const [name, spec] of Object.entries(actionInputs)) {
      const yml = actionYml.inputs[name];
      expect({ name, ...yml }).toEqual({
        name,
        description: spec.description,
        required: spec.required,
        ...("default" in spec ? { default: spec.default } : {}),
      });
    }
  });

  test("same outputs", () => {
    expect(actionYml.outputs).toEqual(actionOutputs);
  });

  test("runs on node24 from the committed bundle", () => {
    expect(actionYml.runs).toEqual({ using: "node24", main: "dist/deploy/index.js" });
  });

  test("the defaults of action.yml parse; only server is needed", () => {
    const given: Record<string, string> = { server: "https://gimlet.acme.dev" };
    const inputs = parseActionInputs((name) => given[name] ?? "");
    expect(inputs).toEqual({
      server: "https://gimlet.acme.dev",
      token: "",
      audience: "gimlet",
      deploy: "",
      app: "",
      wait: false,
      timeout: 600,
      vars: "",
      manifests: ".gimlet",
      "dry-run": false,
    });
    expect(() => parseActionInputs(() => "")).toThrow("input server: required: the Gimlet server URL");
    expect(() => parseActionInputs((name) => ({ server: "https://x", app: "shop" })[name as string] ?? "")).toThrow(
      "input app: only means something with deploy: <env>",
    );
  });
});
