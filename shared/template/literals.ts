import { faultAt } from "./errors.js";
import { FloatValue, type Value } from "./values.js";

const SIMPLE: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  '"': '"',
};
const HEX_DIGITS = { x: 2, u: 4, U: 8 } as const;

/**
 * The value of a double-quoted Go string literal. `body` is the text between the quotes and
 * `start` its offset in `source`. Byte escapes above \x7f are refused: JS strings hold characters, not bytes.
 */
export function unquoteString(source: string, body: string, start: number): string {
  let out = "";
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    const at = start + i;
    const e = body[i + 1] ?? "";
    if (e in SIMPLE) {
      out += SIMPLE[e];
      i += 2;
    } else if (e === "x" || e === "u" || e === "U") {
      const digits = body.slice(i + 2, i + 2 + HEX_DIGITS[e]);
      if (!new RegExp(`^[0-9a-fA-F]{${HEX_DIGITS[e]}}$`).test(digits)) {
        throw faultAt(source, at, `invalid escape \\${e}: expected ${HEX_DIGITS[e]} hex digits`);
      }
      out += codePointEscape(source, at, `\\${e}${digits}`, parseInt(digits, 16), e === "x");
      i += 2 + HEX_DIGITS[e];
    } else if (/[0-7]/.test(e)) {
      const digits = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(digits)) throw faultAt(source, at, "invalid octal escape: expected 3 octal digits");
      out += codePointEscape(source, at, `\\${digits}`, parseInt(digits, 8), true);
      i += 4;
    } else {
      throw faultAt(source, at, `invalid escape "\\${e}" in string (use \\n \\t \\" \\\\ \\uXXXX ...)`);
    }
  }
  return out;
}

function codePointEscape(source: string, at: number, written: string, cp: number, isByte: boolean): string {
  if (isByte && cp > 0x7f)
    throw faultAt(
      source,
      at,
      `byte escape ${written} is above \\x7f; write the character as \\u${cp.toString(16).padStart(4, "0")}`,
    );
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    throw faultAt(source, at, `escape ${written} is not a valid Unicode character`);
  return String.fromCodePoint(cp);
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** A number literal: digits are an integer, a fraction or exponent makes a float. Decimal only. */
export function parseNumber(source: string, text: string, pos: number): Value {
  if (!DECIMAL.test(text))
    throw faultAt(
      source,
      pos,
      `bad number syntax "${text}" (only decimal numbers such as 42, -3 or 2.5 are supported)`,
    );
  const value = Number(text);
  if (INTEGER.test(text)) {
    if (!Number.isSafeInteger(value)) throw faultAt(source, pos, `integer ${text} is out of range`);
    return value === 0 ? 0 : value; // "-0" is the int 0
  }
  if (!Number.isFinite(value)) throw faultAt(source, pos, `number ${text} is out of range`);
  return new FloatValue(value);
}
