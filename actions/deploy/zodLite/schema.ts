import type * as zod from "zod";
import { BAIL, type Check, FAIL, type IssueSink, isPlainObject, type Node, run } from "./validate.js";

type Zod = typeof zod;
type RealSchema = zod.ZodType;
type Loader = () => Zod;

/**
 * zod itself, for the slow path. In the Action's CommonJS bundle it is the chunk beside the bundle (built from the zod
 * package by scripts/build-action.mjs); anywhere else it must be given with useFullZod.
 */
let loadZod: Loader = () => require("./zod.cjs") as Zod;
let loaded: Zod | undefined;
const configs: unknown[] = [];

export function useFullZod(loader: Loader): void {
  loadZod = loader;
  loaded = undefined;
}

export function fullZod(): Zod {
  if (!loaded) {
    loaded = loadZod();
    for (const config of configs) loaded.config(config as Parameters<Zod["config"]>[0]);
  }
  return loaded;
}

export function config(settings: unknown): void {
  configs.push(settings);
  loaded?.config(settings as Parameters<Zod["config"]>[0]);
}

/** How many parses the fast path answered and how many went to zod (the test proves the fast path is taken). */
export const parses = { fast: 0, full: 0 };

/** zod's default value: a function is called, anything else copied as zod's util.shallowClone copies it. */
function defaultOf(value: unknown): () => unknown {
  if (typeof value === "function") return value as () => unknown;
  if (isPlainObject(value)) return () => ({ ...value });
  if (Array.isArray(value)) return () => [...value];
  if (value instanceof Map) return () => new Map(value);
  if (value instanceof Set) return () => new Set(value);
  return () => value;
}

/** An argument for zod: our schemas (also inside arrays and plain objects) replaced by zod's. */
export const real = (value: unknown): unknown =>
  value instanceof LiteSchema
    ? value.toZod()
    : Array.isArray(value)
      ? value.map(real)
      : value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype
        ? Object.fromEntries(Reflect.ownKeys(value).map((k) => [k, real((value as Record<PropertyKey, unknown>)[k])]))
        : value;

export const opaque: Node = { kind: { kind: "opaque" }, checks: [] };
export const nodeOf = (value: unknown): Node => (value instanceof LiteSchema ? value.node : opaque);

/** zod's `target[name](...args)` (a schema's method, or a function of zod's), our schemas among the args made zod's. */
export function call<T = RealSchema>(target: object, name: string, args: unknown[]): T {
  const fn = (target as Record<string, unknown>)[name];
  if (typeof fn !== "function") throw new TypeError(`zod has no ${name}()`);
  return fn.apply(target, args.map(real)) as T;
}

/**
 * A schema built with zod's API that records how it was built. The fast path runs the recorded kinds (validate.ts);
 * on anything else the same calls are replayed on zod itself, once, and zod answers, so results and messages are
 * zod's own. A method this class does not know yields a schema that always takes the slow path.
 */
export class LiteSchema {
  private zodSchema: RealSchema | undefined;

  constructor(
    readonly node: Node,
    private readonly build: (z: Zod) => RealSchema,
  ) {
    // biome-ignore lint/correctness/noConstructorReturn: a zod method this class does not know becomes a slow-path schema
    return new Proxy(this, {
      get(target, property, receiver) {
        if (typeof property !== "string" || property in target || property === "then")
          return Reflect.get(target, property, receiver);
        return (...args: unknown[]) => new LiteSchema(opaque, () => call(target.toZod(), property, args));
      },
    });
  }

  toZod(): RealSchema {
    this.zodSchema ??= this.build(fullZod());
    return this.zodSchema;
  }

  safeParse(value: unknown): zod.ZodSafeParseResult<unknown> {
    const outcome = run(this.node, value);
    if (outcome !== FAIL && outcome !== BAIL) {
      parses.fast++;
      return { success: true, data: outcome.value };
    }
    parses.full++;
    return this.toZod().safeParse(value);
  }

  parse(value: unknown): unknown {
    const result = this.safeParse(value);
    if (result.success) return result.data;
    throw result.error;
  }

  /** The schema zod's `method(...args)` makes of this one, validating as `node`. */
  private derived(node: Node, method: string, args: unknown[]): LiteSchema {
    return new LiteSchema(node, () => call(this.toZod(), method, args));
  }

  /** One more check when it is modelled (and changes at most a message), else a slow-path schema. */
  private checked(check: Check | undefined, method: string, args: unknown[]): LiteSchema {
    const node = check ? { kind: this.node.kind, checks: [...this.node.checks, check] } : opaque;
    return this.derived(node, method, args);
  }

  optional(...args: unknown[]) {
    return this.derived({ kind: { kind: "optional", inner: this.node }, checks: [] }, "optional", args);
  }
  default(value: unknown) {
    return this.derived(
      { kind: { kind: "default", inner: this.node, value: defaultOf(value) }, checks: [] },
      "default",
      [value],
    );
  }
  transform(fn: (value: unknown, ctx: IssueSink) => unknown) {
    const out: Node = { kind: { kind: "transform", fn }, checks: [] };
    return this.derived({ kind: { kind: "pipe", in: this.node, out }, checks: [] }, "transform", [fn]);
  }
  pipe(next: unknown) {
    return this.derived({ kind: { kind: "pipe", in: this.node, out: nodeOf(next) }, checks: [] }, "pipe", [next]);
  }
  /** Metadata: validates as before. */
  describe(...args: unknown[]) {
    return this.derived(this.node, "describe", args);
  }
  meta(...args: unknown[]) {
    return this.derived(this.node, "meta", args);
  }
  refine(fn: (value: unknown) => unknown, ...rest: unknown[]) {
    return this.checked(messageOnly(rest) ? { kind: "refine", fn } : undefined, "refine", [fn, ...rest]);
  }
  superRefine(fn: (value: unknown, ctx: IssueSink) => unknown, ...rest: unknown[]) {
    return this.checked(rest.length === 0 ? { kind: "superRefine", fn } : undefined, "superRefine", [fn, ...rest]);
  }
  min(value: number, ...rest: unknown[]) {
    const kind = this.node.kind.kind;
    const check: Check | undefined =
      kind === "string" || kind === "array"
        ? { kind: "minLength", value }
        : kind === "number"
          ? { kind: "gte", value }
          : undefined;
    return this.checked(messageOnly(rest) ? check : undefined, "min", [value, ...rest]);
  }
  regex(pattern: RegExp, ...rest: unknown[]) {
    const check: Check | undefined = this.node.kind.kind === "string" ? { kind: "regex", pattern } : undefined;
    return this.checked(messageOnly(rest) ? check : undefined, "regex", [pattern, ...rest]);
  }
  int(...rest: unknown[]) {
    return this.numberCheck({ kind: "safeInt" }, "int", rest);
  }
  nonnegative(...rest: unknown[]) {
    return this.numberCheck({ kind: "gte", value: 0 }, "nonnegative", rest);
  }
  positive(...rest: unknown[]) {
    return this.numberCheck({ kind: "gt", value: 0 }, "positive", rest);
  }
  private numberCheck(check: Check, method: string, rest: unknown[]) {
    return this.checked(this.node.kind.kind === "number" && messageOnly(rest) ? check : undefined, method, rest);
  }
}

/** No parameters, a message, or `{ message }` / `{ error }` with a string: what is accepted stays the same. */
export function messageOnly(rest: unknown[]): boolean {
  const params = rest[0];
  if (rest.length === 0 || typeof params === "string") return rest.length <= 1;
  if (rest.length > 1 || params === null || typeof params !== "object") return false;
  const keys = Reflect.ownKeys(params);
  return (
    keys.length === 1 &&
    (keys[0] === "message" || keys[0] === "error") &&
    typeof (params as Record<string, unknown>)[keys[0]] === "string"
  );
}
