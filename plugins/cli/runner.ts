import type { CliIO } from "./command.js";
import { commands } from "./commands/index.js";
import { main } from "./main.js";

/**
 * Where relative paths are read from. `npm run gimlet -- …` runs the script in the package root, but a user typing it
 * in `examples/shop` means that folder: npm passes it as INIT_CWD.
 */
export function invocationDir(env: NodeJS.ProcessEnv, cwd: string): string {
  return env.npm_lifecycle_event === "gimlet" && env.INIT_CWD ? env.INIT_CWD : cwd;
}

/** Bind the CLI to this process: argv, environment, stdout/stderr and the exit code. */
export async function runCli(): Promise<void> {
  const io: CliIO = {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: invocationDir(process.env, process.cwd()),
  };
  try {
    process.exitCode = await main(process.argv.slice(2), io, commands);
  } catch (error) {
    process.stderr.write(`internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
