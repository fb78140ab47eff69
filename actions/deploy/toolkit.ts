import { appendFileSync, existsSync } from "node:fs";
import { EOL } from "node:os";
// @actions/core's and @actions/github's own light modules. Their packages export only their index, which loads the
// HTTP clients (undici, @octokit/core) at import: +50 ms on every start (bench/action.bench.ts). So the runner's
// protocol comes from the toolkit's own command module and the event context from @actions/github's Context class,
// imported by file; the full @actions/core is loaded when the step ships (getIDToken, the job summary).
import { issueCommand } from "../../node_modules/@actions/core/lib/command.js";
import { toCommandValue } from "../../node_modules/@actions/core/lib/utils.js";
import { Context } from "../../node_modules/@actions/github/lib/context.js";

/** core.getInput: INPUT_<NAME> (spaces as _, upper-cased), trimmed; "" when unset. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "").trim();
}

/**
 * core.setOutput. In GITHUB_OUTPUT a one-line value is written as `name=value`, the runner's documented short form;
 * only a multi-line value needs core's heredoc, whose random delimiter loads node:crypto (4 ms of the Action's start,
 * bench/action.bench.ts), so its module is loaded then. The legacy command without GITHUB_OUTPUT.
 */
export async function setOutput(name: string, value: string): Promise<void> {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) {
    process.stdout.write(EOL);
    issueCommand("set-output", { name }, toCommandValue(value));
  } else if (/[\r\n]/.test(value)) {
    const { issueFileCommand, prepareKeyValueMessage } = await import(
      "../../node_modules/@actions/core/lib/file-command.js"
    );
    issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
  } else {
    // what core's issueFileCommand does with a message
    if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
    appendFileSync(file, `${name}=${value}${EOL}`, { encoding: "utf8" });
  }
}

/** core.setSecret: the runner replaces the value with *** in every later log line. */
export const setSecret = (secret: string) => issueCommand("add-mask", {}, secret);
export const info = (line: string) => void process.stdout.write(line + EOL);
export const debug = (line: string) => issueCommand("debug", {}, line);
export const warning = (line: string) => issueCommand("warning", {}, line);

/** core.setFailed: exit code 1 and an error annotation. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  issueCommand("error", {}, message);
}

/** @actions/github's `context`: the event name, sha, ref, repository and the event payload of this run. */
export const runContext = (): Context => new Context();

/** The full @actions/core, loaded when the step ships (its HTTP client is most of the bundle). */
export const actionsCore = () => import("@actions/core");
