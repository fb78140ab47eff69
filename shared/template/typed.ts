export type WantedType = "integer" | "number" | "boolean";

const INTEGER = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

const EXPECTED: Record<WantedType, string> = {
  integer: "an integer",
  number: "a number",
  boolean: "a boolean (true or false)",
};

export type Conversion = { ok: true; value: number | boolean } | { ok: false; message: string };

/**
 * The rendered text as the type the schema wants. Strict on purpose: no trimming, no `yes`/`True`,
 * so what the user sees in the error is exactly what the template produced.
 */
export function convertRendered(text: string, wanted: WantedType): Conversion {
  const value = parse(text, wanted);
  if (value !== undefined) return { ok: true, value };
  return { ok: false, message: `expected ${EXPECTED[wanted]}, the template rendered ${JSON.stringify(text)}` };
}

function parse(text: string, wanted: WantedType): number | boolean | undefined {
  if (wanted === "boolean") return text === "true" ? true : text === "false" ? false : undefined;
  if (wanted === "integer") {
    if (!INTEGER.test(text)) return undefined;
    const n = Number(text);
    return Number.isSafeInteger(n) ? n + 0 : undefined; // + 0 turns -0 into 0
  }
  if (!NUMBER.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n + 0 : undefined;
}
