import { formatProblems, GimletError, problemsOf } from "../../shared/errors.js";
import { parseCommandArgs } from "./args.js";
import { type CliIO, type Command, EXIT, type ExitCode } from "./command.js";
import { commandHelp, groupHelp } from "./help.js";
import { VERSION } from "./version.js";

/** Find the command whose path is the longest prefix of argv. */
function findCommand(commands: readonly Command[], argv: string[]): Command | undefined {
  let best: Command | undefined;
  for (const command of commands) {
    if (command.path.every((part, i) => argv[i] === part) && (!best || command.path.length > best.path.length))
      best = command;
  }
  return best;
}

function groupPrefix(commands: readonly Command[], argv: string[]): string[] {
  const words: string[] = [];
  for (const word of argv) {
    if (word.startsWith("-")) break;
    const candidate = [...words, word];
    if (!commands.some((c) => candidate.every((p, i) => c.path[i] === p))) break;
    words.push(word);
  }
  return words;
}

/** Run one CLI invocation: parse, dispatch, report errors the way every command does. */
export async function main(argv: string[], io: CliIO, commands: readonly Command[]): Promise<ExitCode> {
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = findCommand(commands, argv);
  if (!command) {
    const prefix = groupPrefix(commands, argv);
    const rest = argv.slice(prefix.length);
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout(groupHelp(commands, prefix));
      return EXIT.ok;
    }
    const problem = rest.length ? `unknown command: ${[...prefix, rest[0]].join(" ")}\n\n` : "";
    io.stderr(`${problem}${groupHelp(commands, prefix)}`);
    return EXIT.usage;
  }

  const parsed = parseCommandArgs(command, argv.slice(command.path.length));
  if (!parsed.ok) {
    // --help wins over mistakes elsewhere on the line: the user asked how to write it.
    if (argv.includes("--help") || argv.includes("-h")) {
      io.stdout(commandHelp(command));
      return EXIT.ok;
    }
    io.stderr(
      `${formatProblems(parsed.problems)}\nUsage: gimlet ${command.usage}\nRun 'gimlet ${command.path.join(" ")} --help' for every option.\n`,
    );
    return EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout(commandHelp(command));
    return EXIT.ok;
  }
  const output = parsed.values.output;
  try {
    return await command.run({ options: parsed.values, positionals: parsed.positionals, io, json: output === "json" });
  } catch (error) {
    return reportError(error, io);
  }
}

export function exitCodeOf(error: unknown): ExitCode {
  if (!(error instanceof GimletError)) return EXIT.failure;
  if (error.code === "config_invalid") return EXIT.usage;
  if (error.code === "policy_denied") return EXIT.refused;
  return EXIT.failure;
}

function reportError(error: unknown, io: CliIO): ExitCode {
  if (io.env.GIMLET_DEBUG && error instanceof Error) io.stderr(`${error.stack}\n`);
  io.stderr(`${formatProblems(problemsOf(error))}\n`);
  return exitCodeOf(error);
}
