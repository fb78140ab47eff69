import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { EOL } from "node:os";

/**
 * The runner's workflow-command protocol for what every run needs at once (inputs, outputs, logs, masks, failure),
 * written exactly as @actions/core writes it. @actions/core itself (its HTTP client is most of the bundle) is loaded
 * only when the step ships: for getIDToken and the job summary. That halves the Action's cold start.
 */
const escapeData = (text: string) => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");

export function getInput(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

export function setOutput(name: string, value: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) {
    process.stdout.write(`${EOL}::set-output name=${name}::${escapeData(value)}${EOL}`);
    return;
  }
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`unexpected delimiter in output ${name}`);
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: "utf8" });
}

export const setSecret = (secret: string) => process.stdout.write(`::add-mask::${escapeData(secret)}${EOL}`);
export const info = (line: string) => process.stdout.write(`${line}${EOL}`);
export const debug = (line: string) => process.stdout.write(`::debug::${escapeData(line)}${EOL}`);
export const warning = (line: string) => process.stdout.write(`::warning::${escapeData(line)}${EOL}`);

export function setFailed(message: string): void {
  process.exitCode = 1;
  process.stdout.write(`::error::${escapeData(message)}${EOL}`);
}
