import type { Value } from "./values.js";

/** Parse tree of a template. `pos` is the offset in the template text, for error columns. */

export type Operand =
  | { kind: "variable"; name: string; pos: number }
  | { kind: "function"; name: string; pos: number }
  | { kind: "literal"; value: Value; text: string; pos: number }
  | { kind: "group"; pipeline: Pipeline; pos: number };

/** `printf "%s" .A`: a function and its arguments, or a single operand. */
export interface Command {
  /** At least one: a function (with its arguments) or a single operand. */
  operands: [Operand, ...Operand[]];
  pos: number;
}

/** `cmd | cmd | cmd`: each result becomes the last argument of the next command. */
export interface Pipeline {
  commands: Command[];
  pos: number;
}

export type TemplateNode =
  | { kind: "text"; text: string }
  | { kind: "action"; pipeline: Pipeline; pos: number }
  | { kind: "comment"; pos: number };

export interface ParsedTemplate {
  source: string;
  nodes: TemplateNode[];
}
