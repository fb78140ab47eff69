import type { ParseArgsConfig } from "node:util";
import { ConfigError } from "../../shared/errors.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>[string] & { description: string; valueName?: string };

/** Where a command reads and writes; the runner binds it to the process, tests to buffers. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

export interface CommandContext {
  options: OptionValues;
  positionals: string[];
  io: CliIO;
  /** `-o json` asked for one JSON document on stdout. */
  json: boolean;
}

export const EXIT = { ok: 0, failure: 1, usage: 2, refused: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface Command {
  /** e.g. ["artifact", "create"] */
  path: string[];
  summary: string;
  usage: string;
  description?: string;
  options: Record<string, OptionSpec>;
  positionals?: boolean;
  examples?: string[];
  run(ctx: CommandContext): Promise<ExitCode>;
}

export const outputOption: OptionSpec = {
  type: "string",
  short: "o",
  description: "output: json prints one JSON document on stdout",
  valueName: "json",
};

/** Print a result: JSON when asked, else the human text. */
export function emit(ctx: CommandContext, json: unknown, text: () => string): void {
  if (ctx.json) ctx.io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  else ctx.io.stdout(text());
}

/** The string values of required flags, or a ConfigError naming every one that is missing. */
export function requireStrings<K extends string>(ctx: CommandContext, names: readonly K[]): Record<K, string> {
  const missing = names.filter((name) => typeof ctx.options[name] !== "string" || ctx.options[name] === "");
  if (missing.length) throw ConfigError.of(missing.map((name) => ({ path: `--${name}`, message: "required" })));
  return Object.fromEntries(names.map((name) => [name, ctx.options[name] as string])) as Record<K, string>;
}

/** One required string flag: its value, or a ConfigError `--<name>: required: <what>`. */
export function requiredString(ctx: CommandContext, name: string, what: string): string {
  const value = ctx.options[name];
  if (typeof value !== "string" || value === "") throw ConfigError.at(`--${name}`, `required: ${what}`);
  return value;
}

/** Optional string flags that are set, as an object to spread into a request body. */
export function presentStrings(ctx: CommandContext, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    names
      .filter((name) => typeof ctx.options[name] === "string" && ctx.options[name] !== "")
      .map((name) => [name, ctx.options[name] as string]),
  );
}
