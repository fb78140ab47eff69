import { createHash } from "node:crypto";
import { TemplateFault } from "./errors.js";
import { goQuote } from "./gofmt.js";
import { sprintf } from "./printf.js";
import { sanitizeDNSName } from "./sanitize.js";
import { describeValue, FloatValue, isInteger, toText, type Value } from "./values.js";

type ParamType = "string" | "integer" | "any";

interface Param {
  name: string;
  type: ParamType;
}

/** A template function: its parameters (checked before the call, like Go's reflect) and its body. */
export interface TemplateFunction {
  name: string;
  params: readonly Param[];
  /** Further arguments of this type, any number of them. */
  rest?: Param;
  call(args: Value[]): Value;
}

/** No function may build a string longer than this (e.g. `replace ""` on a long text). */
export const MAX_RESULT_LENGTH = 1024 * 1024;

const text = (name: string): Param => ({ name, type: "string" });
/** The argument callFunction checked against its parameter; a mismatch here is a bug in this table. */
function arg(v: Value | undefined): Value {
  if (v === undefined) throw new TemplateFault("internal: a template function read an argument it does not declare");
  return v;
}
const str = (v: Value | undefined): string => {
  const value = arg(v);
  if (typeof value !== "string") throw new TemplateFault(`internal: expected a string, got ${describeValue(value)}`);
  return value;
};
const int = (v: Value | undefined): number => {
  const value = arg(v);
  if (!isInteger(value)) throw new TemplateFault(`internal: expected an integer, got ${describeValue(value)}`);
  return value;
};

/** Sprig's `empty`: the zero value of its type. */
function isEmpty(value: Value): boolean {
  if (value instanceof FloatValue) return value.value === 0;
  return value === null || value === "" || value === false || value === 0;
}

function truncate(n: number, s: string): string {
  const chars = Array.from(s);
  if (n >= 0) return chars.length > n ? chars.slice(0, n).join("") : s;
  return chars.length + n > 0 ? chars.slice(chars.length + n).join("") : s;
}

/** strings.Replace(s, old, new, -1); an empty `old` inserts `new` around every character, as Go does. */
function replaceAll(s: string, old: string, replacement: string): string {
  const pieces = old === "" ? ["", ...Array.from(s), ""] : s.split(old);
  const length = s.length + (pieces.length - 1) * (replacement.length - old.length);
  if (length > MAX_RESULT_LENGTH)
    throw new TemplateFault(`replace: the result would be ${length} characters long (at most ${MAX_RESULT_LENGTH})`);
  return pieces.join(replacement);
}

/** Every function a Gimlet template may call, in one explicit list (DESIGN §4). */
export const TEMPLATE_FUNCTIONS: readonly TemplateFunction[] = [
  {
    name: "default",
    params: [
      { name: "default", type: "any" },
      { name: "value", type: "any" },
    ],
    call: ([d, v]) => (isEmpty(arg(v)) ? arg(d) : arg(v)),
  },
  { name: "lower", params: [text("text")], call: ([s]) => str(s).toLowerCase() },
  {
    name: "printf",
    params: [text("format")],
    rest: { name: "args", type: "any" },
    call: ([format, ...args]) => sprintf(str(format), args),
  },
  {
    name: "quote",
    params: [{ name: "value", type: "any" }],
    rest: { name: "values", type: "any" },
    // Sprig: each non-nil argument quoted, joined by spaces.
    call: (args) =>
      args
        .filter((a) => a !== null)
        .map((a) => goQuote(toText(a)))
        .join(" "),
  },
  {
    name: "replace",
    params: [text("old"), text("new"), text("text")],
    call: ([o, n, s]) => replaceAll(str(s), str(o), str(n)),
  },
  { name: "sanitizeDNSName", params: [text("text")], call: ([s]) => sanitizeDNSName(str(s)) },
  {
    name: "sha256sum",
    params: [text("text")],
    call: ([s]) => createHash("sha256").update(str(s), "utf8").digest("hex"),
  },
  {
    name: "trimPrefix",
    params: [text("prefix"), text("text")],
    call: ([p, s]) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)),
  },
  {
    name: "trimSuffix",
    params: [text("suffix"), text("text")],
    call: ([x, s]) => (str(s).endsWith(str(x)) && str(x) ? str(s).slice(0, -str(x).length) : str(s)),
  },
  {
    name: "trunc",
    params: [{ name: "length", type: "integer" }, text("text")],
    call: ([n, s]) => truncate(int(n), str(s)),
  },
  { name: "upper", params: [text("text")], call: ([s]) => str(s).toUpperCase() },
];

const BY_NAME = new Map(TEMPLATE_FUNCTIONS.map((f) => [f.name, f]));

export const FUNCTION_NAMES: readonly string[] = TEMPLATE_FUNCTIONS.map((f) => f.name).sort();

export function lookupFunction(name: string): TemplateFunction | undefined {
  return BY_NAME.get(name);
}

function signature(fn: TemplateFunction): string {
  const names = fn.params.map((p) => p.name);
  if (fn.rest) names.push(`${fn.rest.name}...`);
  return `${fn.name} ${names.join(" ")}`;
}

const TYPE_WORDS: Record<ParamType, string> = { string: "a string", integer: "an integer", any: "a value" };

function accepts(type: ParamType, value: Value): boolean {
  if (type === "string") return typeof value === "string";
  if (type === "integer") return isInteger(value);
  return true;
}

/** Call `fn` after checking the count and types of its arguments, like Go's template engine does. */
export function callFunction(fn: TemplateFunction, args: Value[]): Value {
  const count = fn.params.length;
  const countOk = fn.rest ? args.length >= count : args.length === count;
  if (!countOk) {
    const wanted = fn.rest ? `at least ${count}` : `${count}`;
    throw new TemplateFault(
      `${fn.name} takes ${wanted} argument${count === 1 ? "" : "s"} (${signature(fn)}), got ${args.length}`,
    );
  }
  args.forEach((arg, i) => {
    const param = fn.params[i] ?? fn.rest;
    if (param && !accepts(param.type, arg)) {
      throw new TemplateFault(
        `${fn.name}: argument ${i + 1} (${param.name}) must be ${TYPE_WORDS[param.type]}, got ${describeValue(arg)} (${signature(fn)})`,
      );
    }
  });
  const result = fn.call(args);
  if (typeof result === "string" && result.length > MAX_RESULT_LENGTH) {
    throw new TemplateFault(
      `${fn.name}: the result is ${result.length} characters long (at most ${MAX_RESULT_LENGTH})`,
    );
  }
  return result;
}
