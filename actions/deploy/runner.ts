import { existsSync, readFileSync } from "node:fs";
import * as core from "@actions/core";
import { formatProblems, problemsOf } from "../../shared/errors.js";
import { type InputName, parseActionInputs } from "./inputs.js";
import { runDeployAction } from "./main.js";

/** The event payload GitHub wrote for this run; `{}` when there is none (a local run). */
function eventPayload(): unknown {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path || !existsSync(path)) return {};
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Read the inputs, bind the ports to @actions/core, one top-level catch that fails the step with `path: message`. */
export async function runAction(): Promise<void> {
  try {
    const inputs = parseActionInputs((name: InputName) => core.getInput(name));
    await runDeployAction(inputs, {
      env: process.env,
      event: eventPayload(),
      cwd: process.cwd(),
      idToken: (audience) => core.getIDToken(audience),
      setOutput: (name, value) => core.setOutput(name, value),
      summary: async (markdown) => {
        if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown, true).write();
      },
      info: (line) => core.info(line),
      warning: (line) => core.warning(line),
      mask: (secret) => core.setSecret(secret),
    });
  } catch (error) {
    if (process.env.GIMLET_DEBUG && error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(formatProblems(problemsOf(error)));
  }
}
