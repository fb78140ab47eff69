import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "@jest/globals";

/** test/fixtures/golden, found from this file so tests work from any working directory. */
export const GOLDEN_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "golden");

/**
 * Compare `actual` with the golden file `test/fixtures/golden/<relativePath>`. With UPDATE_GOLDEN=1 the file is
 * (re)written instead. A missing golden file fails the test, so a CI run can't pass by having nothing to compare.
 */
export function expectGolden(relativePath: string, actual: string): void {
  const file = join(GOLDEN_ROOT, relativePath);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(`golden file ${file} is missing; run the tests with UPDATE_GOLDEN=1 to create it, then review it`);
  }
  expect(actual).toBe(readFileSync(file, "utf8"));
}
