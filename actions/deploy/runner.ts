import { formatProblems, problemsOf } from "../../shared/errors.js";
import { type InputName, parseActionInputs } from "./inputs.js";
import { runDeployAction } from "./main.js";
import * as toolkit from "./toolkit.js";

/**
 * The run as @actions/github's context reads it (event name, sha, ref, repository, payload), laid over the runner's
 * environment for the shared artifact builder, which reads the other CI variables (actor, job, run URL) itself.
 */
function readRun(): { env: NodeJS.ProcessEnv; event: unknown } {
  const context = toolkit.runContext();
  let repository: string | undefined;
  try {
    repository = `${context.repo.owner}/${context.repo.repo}`;
  } catch {
    repository = undefined; // neither GITHUB_REPOSITORY nor a payload repository: the artifact builder says so
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (context.eventName) env.GITHUB_EVENT_NAME = context.eventName;
  if (context.sha) env.GITHUB_SHA = context.sha;
  if (context.ref) env.GITHUB_REF = context.ref;
  if (repository) env.GITHUB_REPOSITORY = repository;
  return { env, event: context.payload };
}

/** Read the inputs, bind the ports to the runner, one top-level catch that fails the step with `path: message`. */
export async function runAction(): Promise<void> {
  try {
    const inputs = parseActionInputs((name: InputName) => toolkit.getInput(name));
    const run = readRun();
    await runDeployAction(inputs, {
      env: run.env,
      event: run.event,
      cwd: process.cwd(),
      idToken: async (audience) => (await toolkit.actionsCore()).getIDToken(audience),
      setOutput: toolkit.setOutput,
      summary: async (markdown) => {
        if (process.env.GITHUB_STEP_SUMMARY) await (await toolkit.actionsCore()).summary.addRaw(markdown, true).write();
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
