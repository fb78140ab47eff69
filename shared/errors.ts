import type { ReasonCode } from "./outcomes.js";

/** One thing wrong with an input, addressed by a dotted path (`values.image.tag`, `items[0].name`). */
export interface Problem {
  path: string;
  message: string;
}

export type ErrorCode = "config_invalid" | "policy_denied" | "conflict" | "transient" | "not_found" | "internal";

/** Base of every error the product raises on purpose; anything else is a bug and is reported as `internal`. */
export abstract class GimletError extends Error {
  abstract readonly code: ErrorCode;
  readonly problems: Problem[];

  constructor(message: string, problems: Problem[] = []) {
    super(message);
    this.name = new.target.name;
    this.problems = problems;
  }
}

/** The user's input (a manifest, an artifact, a flag, a template) is wrong; the user can fix it. */
export class ConfigError extends GimletError {
  readonly code = "config_invalid" as const;

  static of(problems: Problem[], summary?: string): ConfigError {
    return new ConfigError(summary ?? formatProblems(problems), problems);
  }

  static at(path: string, message: string): ConfigError {
    return ConfigError.of([{ path, message }]);
  }
}

/** A policy, a lock or a pin refuses the operation. */
export class PolicyDenied extends GimletError {
  readonly code = "policy_denied" as const;
  constructor(
    message: string,
    readonly reasonCode: ReasonCode,
  ) {
    super(message);
  }
}

/** The operation collides with another one (a moved branch, a newer commit). */
export class Conflict extends GimletError {
  readonly code = "conflict" as const;
}

/** A failure that may pass on retry (network, a busy remote). */
export class Transient extends GimletError {
  readonly code = "transient" as const;
}

export class NotFound extends GimletError {
  readonly code = "not_found" as const;
}

export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("\n");
}

/** Prefix every problem's path, e.g. with a file name: `.gimlet/staging.yaml: deploy.branch: ...`. */
export function prefixProblems(prefix: string, problems: Problem[]): Problem[] {
  return problems.map((p) => ({
    path: p.path ? `${prefix}${p.path.startsWith("[") ? "" : "."}${p.path}` : prefix,
    message: p.message,
  }));
}

/** Locate problems in a file: `.gimlet/staging.yaml: deploy.branch: ...`. */
export function inFile(file: string, problems: Problem[]): Problem[] {
  return problems.map((p) => ({ path: p.path ? `${file}: ${p.path}` : file, message: p.message }));
}

export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === "string" ? value : JSON.stringify(value));
}

/** Problems of any error: a GimletError's own, or one `internal` line for a bug. */
export function problemsOf(error: unknown): Problem[] {
  if (error instanceof GimletError)
    return error.problems.length ? error.problems : [{ path: "", message: error.message }];
  return [{ path: "", message: `internal error: ${toError(error).message}` }];
}
