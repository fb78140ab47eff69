/**
 * The `/gimlet` comment grammar (DESIGN §8), parsed once into a typed union. Only the comment's first line counts,
 * and only when it starts with `/gimlet`; every other comment is `undefined` (not a command, no answer).
 *
 *   /gimlet deploy <env> [app]
 *   /gimlet rollback <env> [app] [to <gitopsSha>]
 *   /gimlet lock <env> [reason…]
 *   /gimlet unlock <env>
 *   /gimlet status
 *   /gimlet help
 *
 * Names are exact (no case folding, no prefixes): an unknown verb or a malformed line is an `invalid` command that
 * the app answers with help.
 */
export type Command =
  | { kind: "deploy"; env?: string; app?: string }
  | { kind: "rollback"; env?: string; app?: string; to?: string }
  | { kind: "lock"; env?: string; reason?: string }
  | { kind: "unlock"; env?: string }
  | { kind: "status" }
  | { kind: "help" }
  | { kind: "invalid"; reasonCode: InvalidReasonCode; message: string };

export type CommandKind = Exclude<Command["kind"], "invalid">;

export type InvalidReasonCode = "unknown_command" | "bad_arguments";

export const COMMAND_KINDS: readonly CommandKind[] = ["deploy", "rollback", "lock", "unlock", "status", "help"];

const PREFIX = "/gimlet";
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const SHA = /^[0-9a-f]{4,40}$/i;
const MAX_REASON = 200;

/** The grammar as the help reply shows it. */
export const COMMAND_USAGE: readonly string[] = [
  "/gimlet deploy <env> [app]",
  "/gimlet rollback <env> [app] [to <gitopsSha>]",
  "/gimlet lock <env> [reason]",
  "/gimlet unlock <env>",
  "/gimlet status",
  "/gimlet help",
];

const invalid = (reasonCode: InvalidReasonCode, message: string): Command => ({ kind: "invalid", reasonCode, message });

/** The command in a comment body, or undefined when the first line does not start with `/gimlet`. */
export function parseCommand(body: string): Command | undefined {
  const firstLine =
    body
      .replace(/^\uFEFF/, "")
      .split(/\r?\n/, 1)[0]
      ?.trim() ?? "";
  if (!firstLine.startsWith(PREFIX)) return undefined;
  const rest = firstLine.slice(PREFIX.length);
  // `/gimletx` is another word, not this command
  if (rest !== "" && !/^\s/.test(rest)) return undefined;
  const words = rest.trim().split(/\s+/).filter(Boolean);
  const [verb, ...args] = words;
  if (verb === undefined) return { kind: "help" };
  switch (verb) {
    case "help":
      return args.length ? invalid("bad_arguments", "help takes no arguments") : { kind: "help" };
    case "status":
      return args.length ? invalid("bad_arguments", "status takes no arguments") : { kind: "status" };
    case "deploy":
      return parseDeploy(args);
    case "rollback":
      return parseRollback(args);
    case "lock":
      return parseLock(args);
    case "unlock":
      if (args.length > 1) return invalid("bad_arguments", "unlock takes one environment");
      return args[0] === undefined ? { kind: "unlock" } : checkedName("env", args[0], { kind: "unlock", env: args[0] });
    default:
      return invalid("unknown_command", `${quote(verb)} is not a gimlet command`);
  }
}

function parseDeploy(args: string[]): Command {
  if (args.length > 2) return invalid("bad_arguments", "deploy takes an environment and at most one app");
  const [env, app] = args;
  const bad = badName("env", env) ?? badName("app", app);
  return bad ?? { kind: "deploy", ...(env ? { env } : {}), ...(app ? { app } : {}) };
}

function parseRollback(args: string[]): Command {
  const toAt = args.indexOf("to");
  const names = toAt < 0 ? args : args.slice(0, toAt);
  const target = toAt < 0 ? [] : args.slice(toAt + 1);
  if (names.length > 2) return invalid("bad_arguments", "rollback takes an environment and at most one app");
  if (toAt >= 0 && target.length !== 1) return invalid("bad_arguments", "`to` needs one gitops commit sha");
  const [env, app] = names;
  const to = target[0];
  if (to !== undefined && !SHA.test(to)) return invalid("bad_arguments", `${quote(to)} is not a commit sha`);
  const bad = badName("env", env) ?? badName("app", app);
  return bad ?? { kind: "rollback", ...(env ? { env } : {}), ...(app ? { app } : {}), ...(to ? { to } : {}) };
}

function parseLock(args: string[]): Command {
  const [env, ...reasonWords] = args;
  const bad = badName("env", env);
  if (bad) return bad;
  const reason = reasonWords.join(" ").slice(0, MAX_REASON);
  return { kind: "lock", ...(env ? { env } : {}), ...(reason ? { reason } : {}) };
}

function badName(field: "env" | "app", value: string | undefined): Command | undefined {
  if (value === undefined || NAME.test(value)) return undefined;
  return invalid("bad_arguments", `${quote(value)} is not a valid ${field === "env" ? "environment" : "app"} name`);
}

function checkedName(field: "env" | "app", value: string, command: Command): Command {
  return badName(field, value) ?? command;
}

function quote(text: string): string {
  return `\`${text.replace(/`/g, "'").slice(0, 60)}\``;
}
