import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commands } from "../../plugins/cli/commands/index.js";
import { main } from "../../plugins/cli/main.js";
import { exampleApp, repoRoot } from "./ciEnv.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in-process, the way the bundle does, with captured output. */
export async function runGimlet(
  argv: string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(
    argv,
    {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      env: options.env ?? {},
      cwd: options.cwd,
    },
    commands,
  );
  return { code, stdout, stderr };
}

/** Run the committed bundle dist/cli/index.js as a real process. */
export function spawnGimlet(argv: string[], options: { cwd: string; env?: Record<string, string> }): CliResult {
  const result = spawnSync(process.execPath, [join(repoRoot, "dist", "cli", "index.js"), ...argv], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", ...(options.env ?? {}) },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A scratch copy of the example app repo. */
export function exampleAppCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "gimlet-app-"));
  cpSync(exampleApp, dir, { recursive: true });
  return dir;
}
