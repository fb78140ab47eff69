import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, jest, test } from "@jest/globals";
import { getInput, setFailed, setOutput, setSecret, warning } from "../../actions/deploy/toolkit.js";
import { tempDir } from "../helpers/gitRepos.js";

// The runner's protocol as @actions/core speaks it: INPUT_<NAME>, GITHUB_OUTPUT heredocs, escaped workflow commands.
describe("the Action's runner protocol", () => {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  afterAll(() => spy.mockRestore());
  afterEach(() => {
    written.length = 0;
    process.exitCode = undefined;
  });

  test("inputs: INPUT_<NAME> upper-cased, spaces as _, dashes kept, trimmed", () => {
    expect(getInput("dry-run", { "INPUT_DRY-RUN": " true \n" })).toBe("true");
    expect(getInput("some name", { INPUT_SOME_NAME: "x" })).toBe("x");
    expect(getInput("missing", {})).toBe("");
  });

  test("outputs go to GITHUB_OUTPUT as heredocs, multi-line values intact", () => {
    const file = join(tempDir("gimlet-toolkit-"), "output");
    writeFileSync(file, "");
    setOutput("decisions", '[{"env":"staging"}]\nsecond line', { GITHUB_OUTPUT: file });
    expect(readFileSync(file, "utf8")).toMatch(
      /^decisions<<(ghadelimiter_[0-9a-f-]{36})\n\[\{"env":"staging"\}\]\nsecond line\n\1\n$/,
    );
  });

  test("masks, warnings and failures are escaped workflow commands; a failure sets exit code 1", () => {
    setSecret("a%b\nc");
    warning("two\nlines");
    setFailed("input server: required\ninput wait: must be true or false");
    expect(written.join("")).toBe(
      "::add-mask::a%25b%0Ac\n::warning::two%0Alines\n::error::input server: required%0Ainput wait: must be true or false\n",
    );
    expect(process.exitCode).toBe(1);
  });
});
