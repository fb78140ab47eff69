import { describe, expect, test } from "@jest/globals";
import { parseServerEnv } from "../../app/env.js";
import { defaultLimits, limitSettings, limitsFromEnv } from "../../app/limits.js";

describe("limits are named settings of the server environment", () => {
  test("unset: the documented defaults", () => {
    expect(limitsFromEnv(parseServerEnv({}))).toEqual(defaultLimits);
  });

  test("set: each GIMLET_* variable overrides its limit", () => {
    const env = Object.fromEntries(Object.values(limitSettings).map((name, i) => [name, String(1000 + i)]));
    const limits = limitsFromEnv(parseServerEnv(env));
    for (const [i, key] of (Object.keys(limitSettings) as Array<keyof typeof limitSettings>).entries())
      expect(limits[key]).toBe(1000 + i);
  });

  test("a value that is not a positive whole number is refused at start, naming the variable", () => {
    const refuse = () => parseServerEnv({ GIMLET_MAX_MANIFESTS: "0", GIMLET_JSON_MAX_DEPTH: "lots" });
    expect(refuse).toThrow(/GIMLET_MAX_MANIFESTS: must be a positive whole number/);
    expect(refuse).toThrow(/GIMLET_JSON_MAX_DEPTH: must be a positive whole number/);
  });
});
