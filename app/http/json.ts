import { HttpError } from "./errors.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Refuse a JSON text nested deeper than `maxDepth` arrays and objects, in one pass over the bytes before
 * `JSON.parse` builds anything: a 50,000-level document never becomes a value that later code walks recursively
 * (zod, rendering, `JSON.stringify`) and overflows the stack on. Brackets inside strings don't count.
 */
export function checkJsonDepth(raw: Uint8Array, maxDepth: number, setting = "GIMLET_JSON_MAX_DEPTH"): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      if (++depth > maxDepth)
        throw new HttpError(
          400,
          "too_deep",
          `body: nested deeper than ${maxDepth} levels of arrays and objects (${setting})`,
          [{ path: "body", message: `nested deeper than ${maxDepth} levels (${setting})` }],
        );
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth--;
    }
  }
}
