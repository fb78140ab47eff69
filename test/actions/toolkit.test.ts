import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as core from "@actions/core";
import { afterAll, afterEach, beforeEach, describe, expect, jest, test } from "@jest/globals";
import { getInput, runContext, setFailed, setOutput, setSecret, warning } from "../../actions/deploy/toolkit.js";
import { parseGithubOutput } from "../helpers/githubOutput.js";
import { tempDir } from "../helpers/gitRepos.js";

// The runner's protocol: INPUT_<NAME>, GITHUB_OUTPUT heredocs, escaped workflow commands, exit code 1 on failure.
// The Action writes it through @actions/core's own command modules; each case also runs @actions/core's public
// function and expects the same bytes.
describe("the Action's runner protocol", () => {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  const saved = { ...process.env };
  beforeEach(() => {
    for (const name of Object.keys(process.env))
      if (name.startsWith("INPUT_") || name.startsWith("GITHUB_")) delete process.env[name];
  });
  afterAll(() => spy.mockRestore());
  afterEach(() => {
    written.length = 0;
    process.exitCode = undefined;
    process.env = { ...saved };
  });

  test("inputs: INPUT_<NAME> upper-cased, spaces as _, dashes kept, trimmed", () => {
    process.env["INPUT_DRY-RUN"] = " true \n";
    process.env.INPUT_SOME_NAME = "x";
    expect(getInput("dry-run")).toBe("true");
    expect(getInput("some name")).toBe("x");
    expect(getInput("missing")).toBe("");
    for (const name of ["dry-run", "some name", "missing"]) expect(getInput(name)).toBe(core.getInput(name));
  });

  test("outputs go to GITHUB_OUTPUT: one line as name=value, several as core's heredoc; the runner reads the same values", async () => {
    const file = join(tempDir("gimlet-toolkit-"), "output");
    writeFileSync(file, "");
    process.env.GITHUB_OUTPUT = file;
    await setOutput("decisions", '[{"env":"staging","reason":"a<<b=c"}]');
    expect(readFileSync(file, "utf8")).toBe('decisions=[{"env":"staging","reason":"a<<b=c"}]\n');
    await setOutput("summary", "first line\nsecond line");
    const heredoc = /summary<<(ghadelimiter_[0-9a-f-]{36})\nfirst line\nsecond line\n\1\n$/;
    expect(readFileSync(file, "utf8")).toMatch(heredoc);
    const ours = parseGithubOutput(readFileSync(file, "utf8"));

    writeFileSync(file, "");
    core.setOutput("decisions", '[{"env":"staging","reason":"a<<b=c"}]');
    core.setOutput("summary", "first line\nsecond line");
    expect(ours).toEqual(parseGithubOutput(readFileSync(file, "utf8")));
    expect(ours).toEqual({ decisions: '[{"env":"staging","reason":"a<<b=c"}]', summary: "first line\nsecond line" });
    expect(written).toEqual([]);
  });

  test("a missing GITHUB_OUTPUT file fails as core's does", async () => {
    process.env.GITHUB_OUTPUT = join(tempDir("gimlet-toolkit-"), "absent");
    await expect(setOutput("decisions", "[]")).rejects.toThrow(/Missing file at path: .*absent/);
  });

  test("without GITHUB_OUTPUT, the legacy set-output command", async () => {
    await setOutput("decisions", "[]");
    expect(written.join("")).toBe("\n::set-output name=decisions::[]\n");
  });

  test("masks, warnings and failures are escaped workflow commands; a failure sets exit code 1", () => {
    setSecret("a%b\nc");
    warning("two\nlines");
    setFailed("input server: required\ninput wait: must be true or false");
    const ours = written.join("");
    expect(ours).toBe(
      "::add-mask::a%25b%0Ac\n::warning::two%0Alines\n::error::input server: required%0Ainput wait: must be true or false\n",
    );
    expect(process.exitCode).toBe(1);
    written.length = 0;
    process.exitCode = undefined;
    core.setSecret("a%b\nc");
    core.warning("two\nlines");
    core.setFailed("input server: required\ninput wait: must be true or false");
    expect(written.join("")).toBe(ours);
    expect(process.exitCode).toBe(1);
  });

  test("the run comes from @actions/github's context: event, sha, ref, repository, payload", () => {
    const event = join(tempDir("gimlet-toolkit-"), "event.json");
    writeFileSync(event, JSON.stringify({ after: "abc", repository: { name: "shop", owner: { login: "acme" } } }));
    Object.assign(process.env, {
      GITHUB_EVENT_PATH: event,
      GITHUB_EVENT_NAME: "push",
      GITHUB_SHA: "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d",
      GITHUB_REF: "refs/heads/main",
      GITHUB_REPOSITORY: "acme/shop",
    });
    const context = runContext();
    expect({ eventName: context.eventName, sha: context.sha, ref: context.ref, repo: context.repo }).toEqual({
      eventName: "push",
      sha: "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d",
      ref: "refs/heads/main",
      repo: { owner: "acme", repo: "shop" },
    });
    expect(context.payload.after).toBe("abc");
  });
});
