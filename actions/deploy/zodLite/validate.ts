/**
 * The fast path of zodLite: zod 4's parse semantics for the schema kinds the Action's schemas use, ported from zod's
 * core ($ZodObject, $ZodRecord, $ZodUnion, $ZodPipe, $ZodOptional, $ZodDefault and the checks), for valid input only.
 * A value is either accepted with exactly the output zod gives it, rejected where zod rejects it too (FAIL), or handed
 * back (BAIL) where this port is not sure; both of the latter make the caller ask zod itself, which then also writes
 * the messages. zodLite.test.ts holds the port to zod over fixtures and thousands of generated values.
 */

/** How a node treats an absent key: zod's `optin` / `optout`. */
export type Presence = "optional" | "defaulted" | undefined;
/** The presence of a node this port does not model: whoever needs it asks zod. */
export const UNKNOWN = Symbol("zodLite.unknownPresence");

export type Check =
  | { kind: "minLength"; value: number }
  | { kind: "regex"; pattern: RegExp }
  | { kind: "safeInt" }
  | { kind: "gte"; value: number }
  | { kind: "gt"; value: number }
  | { kind: "refine"; fn: (value: unknown) => unknown }
  | { kind: "superRefine"; fn: (value: unknown, ctx: IssueSink) => unknown };

export type Kind =
  | { kind: "string" }
  | { kind: "number" }
  | { kind: "boolean" }
  | { kind: "unknown" }
  | { kind: "enum"; values: ReadonlySet<unknown> }
  | { kind: "array"; element: Node }
  | { kind: "record"; key: Node; value: Node }
  | { kind: "object"; shape: Record<string, Node>; extra: "strip" | "strict" | "loose" }
  | { kind: "union"; options: Node[] }
  | { kind: "optional"; inner: Node }
  | { kind: "default"; inner: Node; value: () => unknown }
  | { kind: "pipe"; in: Node; out: Node }
  | { kind: "transform"; fn: (value: unknown, ctx: IssueSink) => unknown }
  /** Anything this port does not model: always BAIL. */
  | { kind: "opaque" };

export interface Node {
  readonly kind: Kind;
  readonly checks: readonly Check[];
}

export interface IssueSink {
  value: unknown;
  issues: unknown[];
  addIssue(issue: unknown): void;
}

export const FAIL = Symbol("zodLite.fail");
export const BAIL = Symbol("zodLite.bail");
export type Outcome = { value: unknown } | typeof FAIL | typeof BAIL;

function presenceIn(node: Node): Presence | typeof UNKNOWN {
  const k = node.kind;
  switch (k.kind) {
    case "optional": {
      const inner = optin(k.inner);
      return inner === UNKNOWN ? UNKNOWN : inner === "defaulted" ? "defaulted" : "optional";
    }
    case "default":
      return "defaulted";
    case "transform":
      return "optional";
    case "pipe":
      return optin(k.in);
    case "union": {
      const all = k.options.map(optin);
      if (all.includes(UNKNOWN)) return UNKNOWN;
      if (all.includes("defaulted")) return "defaulted";
      return all.some((o) => o !== undefined) ? "optional" : undefined;
    }
    case "opaque":
      return UNKNOWN;
    default:
      return undefined;
  }
}

function presenceOut(node: Node): Presence | typeof UNKNOWN {
  const k = node.kind;
  switch (k.kind) {
    case "optional":
      return "optional";
    case "pipe":
      return optout(k.out);
    case "union": {
      const all = k.options.map(optout);
      if (all.includes(UNKNOWN)) return UNKNOWN;
      return all.includes("optional") ? "optional" : undefined;
    }
    case "opaque":
      return UNKNOWN;
    default:
      return undefined;
  }
}

/**
 * A node's presence never changes once built, and objects ask it for every key of every parse: each node's is worked
 * out once.
 */
function memoized(compute: (node: Node) => Presence | typeof UNKNOWN): (node: Node) => Presence | typeof UNKNOWN {
  const known = new WeakMap<Node, Presence | typeof UNKNOWN>();
  return (node) => {
    if (known.has(node)) return known.get(node);
    const presence = compute(node);
    known.set(node, presence);
    return presence;
  };
}

export const optin = memoized(presenceIn);
export const optout = memoized(presenceOut);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** zod's util.isPlainObject: a record accepts `{}` and `Object.create(null)`, not class instances. */
export function isPlainObject(v: unknown): v is Record<PropertyKey, unknown> {
  if (!isObject(v)) return false;
  const ctor = (v as { constructor?: unknown }).constructor;
  if (ctor === undefined || typeof ctor !== "function") return true;
  const proto = (ctor as { prototype?: unknown }).prototype;
  if (!isObject(proto)) return false;
  return Object.hasOwn(proto, "isPrototypeOf");
}

/** A sink that remembers whether user code reported an issue (a transform or superRefine). */
function sink(value: unknown): IssueSink & { readonly failed: boolean } {
  const issues: unknown[] = [];
  return {
    value,
    issues,
    addIssue: (issue: unknown) => void issues.push(issue),
    // user code may push to `issues` itself, as zod's own payload allows
    get failed() {
      return issues.length > 0;
    },
  };
}

const isThenable = (v: unknown) => typeof (v as { then?: unknown } | null)?.then === "function";

function runChecks(checks: readonly Check[], value: unknown): Outcome {
  for (const check of checks) {
    switch (check.kind) {
      case "minLength": {
        // zod counts a string's code points, not its UTF-16 units; a code point is one or two units, so only a string
        // of between min and 2 × min units needs counting
        const units = (value as { length: number }).length;
        const length =
          typeof value === "string" && units >= check.value && units < check.value * 2 ? [...value].length : units;
        if (!(length >= check.value)) return FAIL;
        break;
      }
      case "regex":
        check.pattern.lastIndex = 0;
        if (!check.pattern.test(value as string)) return FAIL;
        break;
      case "safeInt":
        if (!Number.isSafeInteger(value)) return FAIL;
        break;
      case "gte":
        if (!((value as number) >= check.value)) return FAIL;
        break;
      case "gt":
        if (!((value as number) > check.value)) return FAIL;
        break;
      case "refine": {
        const ok = check.fn(value);
        if (isThenable(ok)) return BAIL;
        if (!ok) return FAIL;
        break;
      }
      case "superRefine": {
        const ctx = sink(value);
        if (isThenable(check.fn(value, ctx))) return BAIL;
        if (ctx.failed) return FAIL;
        break;
      }
    }
  }
  return { value };
}

/** Run `node` over `input` as zod's `_zod.run` does: the kind's parse, then its checks on the parsed value. */
export function run(node: Node, input: unknown): Outcome {
  const parsed = parse(node.kind, input);
  if (parsed === FAIL || parsed === BAIL || node.checks.length === 0) return parsed;
  return runChecks(node.checks, parsed.value);
}

function parse(k: Kind, input: unknown): Outcome {
  switch (k.kind) {
    case "string":
      return typeof input === "string" ? { value: input } : FAIL;
    case "number":
      return typeof input === "number" && Number.isFinite(input) ? { value: input } : FAIL;
    case "boolean":
      return typeof input === "boolean" ? { value: input } : FAIL;
    case "unknown":
      return { value: input };
    case "enum":
      return k.values.has(input) ? { value: input } : FAIL;
    case "array":
      return parseArray(k.element, input);
    case "record":
      return parseRecord(k.key, k.value, input);
    case "object":
      return parseObject(k.shape, k.extra, input);
    case "union":
      return parseUnion(k.options, input);
    case "optional":
      if (input !== undefined) return run(k.inner, input);
      {
        const inner = optin(k.inner);
        if (inner === UNKNOWN) return BAIL;
        if (inner !== "defaulted") return { value: undefined };
        // zod lets the substituting inner schema answer, and a failed answer means undefined
        const substituted = run(k.inner, undefined);
        return substituted === FAIL ? { value: undefined } : substituted;
      }
    case "default": {
      if (input === undefined) return { value: k.value() };
      const inner = run(k.inner, input);
      if (inner === FAIL || inner === BAIL) return inner;
      return inner.value === undefined ? { value: k.value() } : inner;
    }
    case "pipe": {
      const left = run(k.in, input);
      if (left === FAIL || left === BAIL) return left;
      return run(k.out, left.value);
    }
    case "transform": {
      const ctx = sink(input);
      const output = k.fn(input, ctx);
      if (isThenable(output)) return BAIL;
      return ctx.failed ? FAIL : { value: output };
    }
    case "opaque":
      return BAIL;
  }
}

function parseArray(element: Node, input: unknown): Outcome {
  if (!Array.isArray(input)) return FAIL;
  const out = new Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const r = run(element, input[i]);
    if (r === FAIL || r === BAIL) return r;
    out[i] = r.value;
  }
  return { value: out };
}

function parseRecord(key: Node, value: Node, input: unknown): Outcome {
  // only string keys are modelled (zod's branch for enumerable key sets differs)
  if (key.kind.kind !== "string" || key.checks.length) return BAIL;
  if (!isPlainObject(input)) return FAIL;
  const out: Record<string, unknown> = {};
  for (const name of Reflect.ownKeys(input)) {
    if (name === "__proto__" || !Object.prototype.propertyIsEnumerable.call(input, name)) continue;
    if (typeof name !== "string") return FAIL;
    const r = run(value, input[name]);
    if (r === FAIL || r === BAIL) return r;
    out[name] = r.value;
  }
  return { value: out };
}

function parseObject(shape: Record<string, Node>, extra: "strip" | "strict" | "loose", input: unknown): Outcome {
  if (!isObject(input)) return FAIL;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) {
    if (key === "__proto__") continue;
    const field = shape[key] as Node;
    const into = optin(field);
    const outof = optout(field);
    if (into === UNKNOWN || outof === UNKNOWN) return BAIL;
    const isOptionalOut = outof === "optional";
    const isPresent = key in input;
    const r = run(field, input[key]);
    if (r === BAIL) return BAIL;
    if (!isPresent && isOptionalOut && into === "optional") continue;
    if (r === FAIL) {
      if (into !== undefined && isOptionalOut && !isPresent) continue;
      return FAIL;
    }
    if (!isPresent && into === undefined) return FAIL;
    if (r.value === undefined) {
      if (isPresent || (into === "defaulted" && !isOptionalOut)) out[key] = undefined;
    } else out[key] = r.value;
  }
  if (extra === "strip") return { value: out };
  for (const key in input) {
    if (Object.hasOwn(shape, key)) continue;
    if (extra === "strict") return FAIL;
    if (key !== "__proto__") out[key] = input[key];
  }
  return { value: out };
}

function parseUnion(options: Node[], input: unknown): Outcome {
  if (options.length === 1) return run(options[0] as Node, input);
  for (const option of options) {
    const r = run(option, input);
    if (r !== FAIL) return r;
  }
  return FAIL;
}
