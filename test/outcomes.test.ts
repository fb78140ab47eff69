import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { decisionOutcome, isReasonCode, OUTCOMES, REASONS } from "../shared/outcomes.js";
import { repoRoot } from "./helpers/ciEnv.js";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
const section = /^## Reason codes\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? "";
/** `| \`code\` | sentence |` rows of the README's "Reason codes" section, by code. */
const rows = new Map(
  [...section.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(.*?)\s*\|$/gm)].map(([, code = "", sentence]) => [
    code,
    sentence?.replace(/\\\|/g, "|"),
  ]),
);

describe("one closed set of outcome and reason codes", () => {
  test("every code is snake_case with a sentence, and outcomes and reasons do not share a code", () => {
    for (const [code, sentence] of [...Object.entries(OUTCOMES), ...Object.entries(REASONS)]) {
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(sentence.length).toBeGreaterThan(10);
    }
    expect(Object.keys(OUTCOMES).filter((code) => code in REASONS)).toEqual([]);
  });

  test("README's Reason codes table lists every code with its sentence, and no other", () => {
    expect(section).not.toBe("");
    const all: Record<string, string> = { ...OUTCOMES, ...REASONS };
    for (const [code, sentence] of Object.entries(all)) expect([code, rows.get(code)]).toEqual([code, sentence]);
    expect([...rows.keys()].filter((code) => !(code in all))).toEqual([]);
  });

  test("a policy decision's outcome: queued when it deploys, failed when it can't, skipped otherwise", () => {
    expect(decisionOutcome({ deploy: true, reasonCode: "matched" })).toBe("queued");
    expect(decisionOutcome({ deploy: false, reasonCode: "invalid_manifest" })).toBe("failed");
    expect(decisionOutcome({ deploy: false, reasonCode: "release_failed" })).toBe("failed");
    expect(decisionOutcome({ deploy: false, reasonCode: "locked" })).toBe("skipped");
    expect(isReasonCode("locked")).toBe(true);
    expect(isReasonCode("toString")).toBe(false);
  });
});
