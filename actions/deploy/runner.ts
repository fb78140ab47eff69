import { existsSync, readFileSync } from "node:fs";
import { formatProblems, problemsOf } from "../../shared/errors.js";
import { type InputName, parseActionInputs } from "./inputs.js";
import { runDeployAction } from "./main.js";
import * as toolkit from "./toolkit.js";

/** The event payload GitHub wrote for this run; `{}` when there is none (a local run). */
function eventPayload(): unknown {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path || !existsSync(path)) return {};
  return JSON.parse(readFileSync(path, "utf8"));
}

/** @actions/core, loaded when the step first needs it (a dry run never does). */
const actionsCore = () => import("@actions/core");

/** Read the inputs, bind the ports to the runner, one top-level catch that fails the step with `path: message`. */
export async function runAction(): Promise<void> {
  try {
    const inputs = parseActionInputs((name: InputName) => toolkit.getInput(name));
    await runDeployAction(inputs, {
      env: process.env,
      event: eventPayload(),
      cwd: process.cwd(),
      idToken: async (audience) => (await actionsCore()).getIDToken(audience),
      setOutput: (name, value) => toolkit.setOutput(name, value),
      summary: async (markdown) => {
        if (process.env.GITHUB_STEP_SUMMARY) await (await actionsCore()).summary.addRaw(markdown, true).write();
      },
      info: toolkit.info,
      warning: toolkit.warning,
      mask: toolkit.setSecret,
    });
  } catch (error) {
    if (process.env.GIMLET_DEBUG && error instanceof Error && error.stack) toolkit.debug(error.stack);
    toolkit.setFailed(formatProblems(problemsOf(error)));
  }
}
