import { formatGoFloat, goQuote } from "./gofmt.js";

/** A number written with a fraction or an exponent (`2.5`, `1e3`); plain JS numbers are Go ints. */
export class FloatValue {
  constructor(readonly value: number) {}
}

/** What a template expression evaluates to: string, int, float, bool or nil, as in Go. */
export type Value = string | number | boolean | null | FloatValue;

export function isInteger(value: Value): value is number {
  return typeof value === "number";
}

export function isNumeric(value: Value): value is number | FloatValue {
  return typeof value === "number" || value instanceof FloatValue;
}

export function numericValue(value: number | FloatValue): number {
  return typeof value === "number" ? value : value.value;
}

/** How Go's fmt prints a value with %v (nil aside, which the caller decides). */
export function toText(value: Value): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  return formatGoFloat(value.value);
}

const MESSAGE_TEXT_LIMIT = 40;

/** A value named in an error message: `string "abc"`, `integer 3`, `nil`. */
export function describeValue(value: Value): string {
  if (value === null) return "nil";
  if (typeof value === "string") {
    const chars = Array.from(value);
    const shown = chars.length > MESSAGE_TEXT_LIMIT ? `${chars.slice(0, MESSAGE_TEXT_LIMIT).join("")}...` : value;
    return `string ${goQuote(shown)}`;
  }
  if (typeof value === "number") return `integer ${value}`;
  if (typeof value === "boolean") return `boolean ${value}`;
  return `number ${formatGoFloat(value.value)}`;
}
