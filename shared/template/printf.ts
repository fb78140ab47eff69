import { TemplateFault } from "./errors.js";
import { goQuote } from "./gofmt.js";
import { describeValue, isInteger, isNumeric, numericValue, toText, type Value } from "./values.js";

/** Go's fmt.Sprintf for the verbs templates need. Mismatches are errors, not Go's `%!d(string=x)` noise. */

const MAX_WIDTH = 1000;
const SUPPORTED = "%s %v %d %q %x %X %f %%";

interface Spec {
  flags: string;
  width?: number;
  precision?: number;
  verb: string;
  end: number;
}

export function sprintf(format: string, args: readonly Value[]): string {
  let out = "";
  let used = 0;
  let i = 0;
  while (i < format.length) {
    const percent = format.indexOf("%", i);
    if (percent < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, percent);
    const spec = parseSpec(format, percent + 1);
    i = spec.end;
    if (spec.verb === "%") {
      out += "%";
      continue;
    }
    const arg = args[used];
    if (arg === undefined) {
      throw new TemplateFault(
        `printf: format ${goQuote(format)} needs more arguments than the ${args.length} given (nothing for %${spec.verb} at verb ${used + 1})`,
      );
    }
    used++;
    out += formatArgument(spec, arg);
  }
  if (used < args.length) {
    throw new TemplateFault(
      `printf: format ${goQuote(format)} uses ${used} argument${used === 1 ? "" : "s"} but ${args.length} were given`,
    );
  }
  return out;
}

function parseSpec(format: string, start: number): Spec {
  let j = start;
  let flags = "";
  while ("-+# 0".includes(format[j] ?? "x")) flags += format[j++];
  if (format[j] === "[" || format[j] === "*") {
    throw new TemplateFault(
      `printf: ${format[j] === "[" ? "argument indexes (%[1]s)" : "* widths"} are not supported in format ${goQuote(format)}`,
    );
  }
  const width = readDigits(format, j);
  j = width.end;
  let precision: number | undefined;
  if (format[j] === ".") {
    const digits = readDigits(format, j + 1);
    precision = digits.value ?? 0;
    j = digits.end;
  }
  const cp = format.codePointAt(j);
  if (cp === undefined)
    throw new TemplateFault(`printf: format ${goQuote(format)} ends with an incomplete verb "%${format.slice(start)}"`);
  const verb = String.fromCodePoint(cp);
  for (const n of [width.value, precision]) {
    if (n !== undefined && n > MAX_WIDTH)
      throw new TemplateFault(`printf: width or precision ${n} is too large (at most ${MAX_WIDTH})`);
  }
  return { flags, width: width.value, precision, verb, end: j + verb.length };
}

function readDigits(text: string, start: number): { value?: number; end: number } {
  let end = start;
  while (end < text.length && text.charAt(end) >= "0" && text.charAt(end) <= "9") end++;
  return { value: end > start ? Number(text.slice(start, end)) : undefined, end };
}

function mismatch(spec: Spec, wanted: string, value: Value): TemplateFault {
  return new TemplateFault(
    `printf: %${spec.verb} needs ${wanted}, got ${describeValue(value)}${spec.verb === "s" ? " (use %v for any value)" : ""}`,
  );
}

function formatArgument(spec: Spec, value: Value): string {
  switch (spec.verb) {
    case "s":
      if (typeof value !== "string") throw mismatch(spec, "a string", value);
      return pad(spec, cut(value, spec.precision));
    case "v":
      return pad(
        spec,
        value === null ? "<nil>" : typeof value === "string" ? cut(value, spec.precision) : toText(value),
      );
    case "q":
      if (typeof value !== "string") throw mismatch(spec, "a string", value);
      return pad(spec, goQuote(value));
    case "d":
      if (!isInteger(value)) throw mismatch(spec, "an integer", value);
      return padNumber(spec, value, String(Math.abs(value)));
    case "x":
    case "X":
      return pad(spec, hexOf(spec, value));
    case "f":
      if (!isNumeric(value)) throw mismatch(spec, "a number", value);
      return padNumber(spec, numericValue(value), Math.abs(numericValue(value)).toFixed(spec.precision ?? 6));
    default:
      throw new TemplateFault(`printf: unsupported verb %${spec.verb} (supported: ${SUPPORTED})`);
  }
}

function hexOf(spec: Spec, value: Value): string {
  let digits: string;
  if (typeof value === "string") digits = Buffer.from(value, "utf8").toString("hex");
  else if (isInteger(value)) digits = `${value < 0 ? "-" : ""}${Math.abs(value).toString(16)}`;
  else throw mismatch(spec, "a string or an integer", value);
  return spec.verb === "X" ? digits.toUpperCase() : digits;
}

function cut(text: string, precision: number | undefined): string {
  return precision === undefined ? text : Array.from(text).slice(0, precision).join("");
}

function pad(spec: Spec, body: string): string {
  const missing = (spec.width ?? 0) - Array.from(body).length;
  if (missing <= 0) return body;
  if (spec.flags.includes("-")) return body + " ".repeat(missing);
  return (spec.flags.includes("0") ? "0" : " ").repeat(missing) + body;
}

/** Sign (from the value and the + / space flags), then zero or space padding, then the digits. */
function padNumber(spec: Spec, value: number, digits: string): string {
  const sign =
    value < 0 || Object.is(value, -0) ? "-" : spec.flags.includes("+") ? "+" : spec.flags.includes(" ") ? " " : "";
  const missing = (spec.width ?? 0) - sign.length - digits.length;
  if (missing <= 0) return sign + digits;
  if (spec.flags.includes("-")) return sign + digits + " ".repeat(missing);
  if (spec.flags.includes("0")) return sign + "0".repeat(missing) + digits;
  return " ".repeat(missing) + sign + digits;
}
