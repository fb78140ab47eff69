/**
 * zodLite: what the Action's bundle gets for `import { z } from "zod"` (scripts/build-action.mjs aliases it).
 *
 * Loading zod and building the Action's schemas with it costs about half the Action's start (bench/action.bench.ts),
 * for one parse of a few inputs, manifests and one artifact. zodLite builds the same schemas from the same source as
 * plain records, accepts valid input with zod's semantics (validate.ts), and hands anything else, and every message,
 * to zod itself, loaded from a chunk beside the bundle only then. The schemas stay zod schemas everywhere else.
 */
import type * as zod from "zod";
import { call, config, fullZod, LiteSchema, messageOnly, nodeOf, opaque, parses, real, useFullZod } from "./schema.js";
import type { Kind } from "./validate.js";

type Zod = typeof zod;
type RealSchema = zod.ZodType;
type Shape = Record<string, unknown>;

function schema(kind: Kind, build: (z: Zod) => RealSchema, params: unknown[] = []): LiteSchema {
  return messageOnly(params) ? new LiteSchema({ kind, checks: [] }, build) : new LiteSchema(opaque, build);
}

const realShape = (shape: Shape) => real(shape) as zod.ZodRawShape;
const nodeShape = (shape: Shape) => Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, nodeOf(v)]));

const objectKind = (shape: Shape, extra: "strip" | "strict" | "loose"): Kind =>
  Object.getOwnPropertySymbols(shape).length ? opaque.kind : { kind: "object", shape: nodeShape(shape), extra };

const builders = {
  string: (...params: unknown[]) => schema({ kind: "string" }, (z) => z.string(...(params as [])), params),
  number: (...params: unknown[]) => schema({ kind: "number" }, (z) => z.number(...(params as [])), params),
  boolean: (...params: unknown[]) => schema({ kind: "boolean" }, (z) => z.boolean(...(params as [])), params),
  unknown: () => schema({ kind: "unknown" }, (z) => z.unknown()),
  enum: (values: unknown, ...params: unknown[]) =>
    schema(
      Array.isArray(values) ? { kind: "enum", values: new Set(values) } : opaque.kind,
      (z) => z.enum(values as [string], ...(params as [])),
      params,
    ),
  array: (element: unknown, ...params: unknown[]) =>
    schema(
      { kind: "array", element: nodeOf(element) },
      (z) => z.array(real(element) as RealSchema, ...(params as [])),
      params,
    ),
  record: (key: unknown, value: unknown, ...params: unknown[]) =>
    schema(
      { kind: "record", key: nodeOf(key), value: nodeOf(value) },
      (z) => z.record(real(key) as zod.ZodString, real(value) as RealSchema, ...(params as [])),
      params,
    ),
  object: (shape: Shape, ...params: unknown[]) =>
    schema(objectKind(shape, "strip"), (z) => z.object(realShape(shape), ...(params as [])), params),
  strictObject: (shape: Shape, ...params: unknown[]) =>
    schema(objectKind(shape, "strict"), (z) => z.strictObject(realShape(shape), ...(params as [])), params),
  looseObject: (shape: Shape, ...params: unknown[]) =>
    schema(objectKind(shape, "loose"), (z) => z.looseObject(realShape(shape), ...(params as [])), params),
  union: (options: unknown[], ...params: unknown[]) =>
    schema(
      { kind: "union", options: options.map(nodeOf) },
      (z) => z.union(options.map(real) as [RealSchema, RealSchema], ...(params as [])),
      params,
    ),
  /** zod's marker for "this transform reported an issue"; the value is never used once an issue is reported. */
  NEVER: Object.freeze({ status: "aborted" }),
  config,
};

/** zod's functions that take schemas and return no schema: they run on zod itself, with zod's schemas. */
const delegated = new Set([
  "toJSONSchema",
  "prettifyError",
  "treeifyError",
  "flattenError",
  "formatError",
  "parse",
  "safeParse",
  "parseAsync",
  "safeParseAsync",
]);

/**
 * Anything else of zod's: a lower-case builder makes a schema that always asks zod; a function of `delegated`, and
 * any other value (ZodError, core, globalRegistry...), is zod's own, which loads zod when it is used.
 */
export const z = new Proxy(builders, {
  get(target, property, receiver) {
    if (typeof property !== "string" || property in target) return Reflect.get(target, property, receiver);
    if (delegated.has(property)) return (...args: unknown[]) => call<unknown>(fullZod(), property, args);
    if (!/^[a-z]/.test(property)) return (fullZod() as unknown as Record<string, unknown>)[property];
    return (...args: unknown[]) => new LiteSchema(opaque, (zod) => call(zod, property, args));
  },
}) as typeof builders & Record<string, (...args: unknown[]) => LiteSchema>;

export { parses, useFullZod };
