import { parseArgs } from "node:util";
import type { Problem } from "../../shared/errors.js";
import { closestName } from "../../shared/template/suggest.js";
import type { Command, OptionSpec, OptionValues } from "./command.js";

export type ParsedArgs = { ok: true; values: OptionValues; positionals: string[] } | { ok: false; problems: Problem[] };

const HELP: OptionSpec = { type: "boolean", short: "h", description: "show this help" };

/**
 * Parse a command's arguments and say what is wrong in the CLI's words (Node's parseArgs messages talk about its own
 * API): unknown options with the closest known one, missing values, values given to switches, stray arguments, and a
 * single-value option given twice (parseArgs would silently keep the last one).
 */
export function parseCommandArgs(command: Command, args: string[]): ParsedArgs {
  const options: Record<string, OptionSpec> = { ...command.options, help: HELP };
  const { values, positionals, tokens } = parseArgs({
    args,
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  const known = Object.keys(options).map((name) => `--${name}`);
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const spec = options[token.name];
    if (!spec) {
      const guess = token.rawName.startsWith("--") ? closestName(token.rawName, known) : undefined;
      problems.push({ path: token.rawName, message: `unknown option${guess ? ` (did you mean ${guess}?)` : ""}` });
      continue;
    }
    const flag = `--${token.name}`;
    if (spec.type === "boolean" && token.value !== undefined)
      problems.push({ path: flag, message: "is a switch and takes no value" });
    if (spec.type === "string") {
      const valueName = spec.valueName ?? token.name.toUpperCase();
      if (token.value === undefined) problems.push({ path: flag, message: `needs a value (${valueName})` });
      else if (!token.inlineValue && token.value.length > 1 && token.value.startsWith("-"))
        problems.push({
          path: flag,
          message: `needs a value (${valueName}), got the option ${token.value}; write ${flag}=${token.value} if that is the value`,
        });
    }
    const count = (seen.get(token.name) ?? 0) + 1;
    seen.set(token.name, count);
    if (count === 2 && !spec.multiple && token.name !== "help")
      problems.push({ path: flag, message: "given more than once; this command takes one" });
  }
  if (!command.positionals && positionals.length)
    problems.push({
      path: "",
      message: `unexpected argument${positionals.length > 1 ? "s" : ""}: ${positionals.join(" ")} (options take the form --name VALUE)`,
    });
  if (problems.length) return { ok: false, problems };
  return { ok: true, values: values as OptionValues, positionals };
}
