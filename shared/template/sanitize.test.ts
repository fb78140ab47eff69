import { describe, expect, test } from "@jest/globals";
import { sanitizeDNSName } from "./index.js";

describe("sanitizeDNSName", () => {
  test.each([
    ["empty", "", ""],
    ["already clean", "main", "main"],
    ["uppercase", "MAIN", "main"],
    ["slashes and underscores", "Feature/Login_Form", "feature-login-form"],
    ["a run of junk becomes one dash", "a//__..b", "a-b"],
    ["dashes stay single", "a--b", "a-b"],
    ["digits kept", "release-1.2.3", "release-1-2-3"],
    ["leading and trailing junk", "--/feature/x/--", "feature-x"],
    ["only junk", "/_.-", ""],
    ["unicode letters are junk", "größe-ünïcödé", "gr-e-n-c-d"],
    ["emoji", "fix-😀-bug", "fix-bug"],
    ["spaces", "  my branch  ", "my-branch"],
    ["exactly 53 characters", "a".repeat(53), "a".repeat(53)],
    ["cut to 53", "b".repeat(60), "b".repeat(53)],
    ["a dash left at the cut is trimmed", `${"c".repeat(52)}/tail`, "c".repeat(52)],
    ["the leading dash counts before the cut", `/${"d".repeat(60)}`, "d".repeat(52)],
    ["junk past the cut is dropped", `${"e".repeat(50)}_x_yz_`, `${"e".repeat(50)}-x`],
  ])("%s: %j → %j", (_name, input, expected) => {
    expect(sanitizeDNSName(input)).toBe(expected);
  });

  test("the result is always a DNS label of at most 53 characters", () => {
    for (const input of ["Feature/Login_Form", "-".repeat(100), `${"x-".repeat(40)}`, "ÄÖÜ/ß", "A".repeat(200)]) {
      const out = sanitizeDNSName(input);
      expect(out.length).toBeLessThanOrEqual(53);
      expect(out).toMatch(/^([0-9a-z]([-0-9a-z]*[0-9a-z])?)?$/);
    }
  });
});
