import { describe, expect, test } from "@jest/globals";
import { expectGolden } from "../helpers/golden.js";

describe("expectGolden", () => {
  test("a missing golden file fails instead of passing silently", () => {
    if (process.env.UPDATE_GOLDEN === "1") return; // in update mode the helper writes instead
    expect(() => expectGolden("render/__never-written__.yaml", "x")).toThrow(
      /golden file .*__never-written__\.yaml is missing; run the tests with UPDATE_GOLDEN=1/,
    );
  });

  test("a golden file that differs fails", () => {
    if (process.env.UPDATE_GOLDEN === "1") return;
    expect(() => expectGolden("render/onechart-defaults.yaml", "not the rendered output\n")).toThrow();
  });
});
