import { ConfigError, formatProblems, type Problem } from "../errors.js";

/** Where a template sits, for error messages: the file and the dotted value path. */
export interface TemplateContext {
  file?: string;
  path?: string;
}

/** Every template problem (syntax, unsupported construct, missing variable, bad call, type mismatch). */
export class TemplateError extends ConfigError {
  static override of(problems: Problem[], summary?: string): TemplateError {
    return new TemplateError(summary ?? formatProblems(problems), problems);
  }

  static override at(path: string, message: string): TemplateError {
    return TemplateError.of([{ path, message }]);
  }
}

/**
 * A problem found while parsing or evaluating one template, before we know where the template sits.
 * The render functions turn it into a TemplateError addressed by file and value path.
 */
export class TemplateFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateFault";
  }
}

/** `.gimlet/staging.yaml: values.image.tag`, or whichever half is known, or "". */
export function locationOf(ctx?: TemplateContext): string {
  return [ctx?.file, ctx?.path].filter((part): part is string => Boolean(part)).join(": ");
}

/** Line and column (1-based, in characters) of an offset, as users count them. */
export function positionOf(source: string, offset: number): string {
  const before = source.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  const column = Array.from(before.slice(lineStart)).length + 1;
  if (!source.includes("\n")) return `column ${column}`;
  const line = before.split("\n").length;
  return `line ${line}, column ${column}`;
}

/** A fault located inside the template text: `column 12: expected ...`. */
export function faultAt(source: string, offset: number, message: string): TemplateFault {
  return new TemplateFault(`${positionOf(source, offset)}: ${message}`);
}

/** Problem for a fault at a location; anything that is not a fault is a bug and is rethrown. */
export function problemOf(error: unknown, location: string): Problem {
  if (error instanceof TemplateFault) return { path: location, message: error.message };
  throw error;
}
