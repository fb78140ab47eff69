import type { Command, Operand, ParsedTemplate, Pipeline } from "./ast.js";
import { TemplateFault } from "./errors.js";
import { callFunction, lookupFunction, MAX_RESULT_LENGTH } from "./functions.js";
import { closestName, listNames } from "./suggest.js";
import { toText, type Value } from "./values.js";

export type Variables = Readonly<Record<string, string>>;

/** Render a parsed template with `vars`: text as is, each action's value printed like Go's fmt.Print. */
export function evaluateTemplate(template: ParsedTemplate, vars: Variables): string {
  let out = "";
  for (const node of template.nodes) {
    if (node.kind === "text") out += node.text;
    else if (node.kind === "action") out += toText(evaluatePipeline(node.pipeline, vars));
    if (out.length > MAX_RESULT_LENGTH)
      throw new TemplateFault(`the rendered text is longer than ${MAX_RESULT_LENGTH} characters`);
  }
  return out;
}

function evaluatePipeline(pipeline: Pipeline, vars: Variables): Value {
  let value: Value | undefined;
  for (const command of pipeline.commands) value = evaluateCommand(command, vars, value);
  // The parser never builds an empty pipeline.
  return value ?? null;
}

/** A function call gets the previous command's value as its last argument; anything else is one operand. */
function evaluateCommand(command: Command, vars: Variables, piped: Value | undefined): Value {
  const [first, ...rest] = command.operands;
  if (first.kind !== "function") return evaluateOperand(first, vars);
  const args = rest.map((operand) => evaluateOperand(operand, vars));
  if (piped !== undefined) args.push(piped);
  return call(first.name, args);
}

function evaluateOperand(operand: Operand, vars: Variables): Value {
  switch (operand.kind) {
    case "literal":
      return operand.value;
    case "variable":
      return lookupVariable(operand.name, vars);
    case "group":
      return evaluatePipeline(operand.pipeline, vars);
    case "function":
      // A bare function name as an argument is a call without arguments, as in Go.
      return call(operand.name, []);
  }
}

function call(name: string, args: Value[]): Value {
  const fn = lookupFunction(name);
  // The parser rejects unknown functions, so this only guards against a bug.
  if (!fn) throw new TemplateFault(`unknown function "${name}"`);
  return callFunction(fn, args);
}

function lookupVariable(name: string, vars: Variables): string {
  // Own keys only: `.constructor` or `.toString` must not reach Object.prototype.
  if (Object.hasOwn(vars, name)) {
    const value: unknown = vars[name];
    if (typeof value === "string") return value;
    // Callers outside TypeScript may hand over numbers or booleans; they print as text.
    if (typeof value === "number" || typeof value === "boolean") return String(value);
  }
  const available = Object.keys(vars).sort();
  const guess = closestName(name, available);
  const hint = guess ? `did you mean .${guess}? ` : "";
  const list = available.length ? `available: ${listNames(available)}` : "no variables are defined";
  throw new TemplateFault(`missing variable ${name} (${hint}${list})`);
}
