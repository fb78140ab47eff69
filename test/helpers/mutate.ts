/** Seeded values for property-style tests: the same run every time, many shapes a user or an attacker might send. */

/** mulberry32: a small, fast, seeded generator in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(items: readonly T[], random: () => number): T =>
  items[Math.floor(random() * items.length)] as T;

const strings = [
  "",
  " ",
  "..",
  "a/../b",
  "push",
  "tag",
  "pr",
  "prClosed",
  "branchDeleted",
  "Bad_Name",
  "shop",
  "shop-{{ .BRANCH }}",
  "72h",
  "7x",
  "x y",
  "main",
  "acme/shop",
  "acme/../shop",
  "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d",
  "ABC",
  "2026-11-20T13:03:11Z",
  "not a date",
  "12",
  "0",
  "-3",
  "https://charts.example.com",
  "oci://ghcr.io/x",
  "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
  "-----BEGIN PRIVATE KEY-----",
  "add",
  "replace",
  "/spec/replicas",
];
const keys = [
  "app",
  "env",
  "namespace",
  "preview",
  "deploy",
  "cleanup",
  "chart",
  "values",
  "event",
  "branch",
  "tag",
  "ttl",
  "name",
  "repository",
  "version",
  "created",
  "prNumber",
  "sha",
  "repositoryName",
  "vars",
  "items",
  "environments",
  "context",
  "url",
  "op",
  "path",
  "patch",
  "target",
  "kind",
  "json6902Patches",
  "commitMessagePatterns",
  "IMAGE_TAG",
  "2bad",
  "API_TOKEN",
  "constructor",
  "toString",
  "__proto__",
  "unknownKey",
];

export function randomValue(random: () => number, depth = 0): unknown {
  const r = random();
  if (r < 0.35) return pick(strings, random);
  if (r < 0.5) return pick([0, 1, -1, 1.5, 42, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY], random);
  if (r < 0.58) return random() < 0.5;
  if (r < 0.63) return null;
  if (r < 0.68) return undefined;
  if (depth > 1) return pick(strings, random);
  if (r < 0.84) {
    const out: Record<string, unknown> = {};
    for (let i = Math.floor(random() * 3); i > 0; i--) setOwn(out, pick(keys, random), randomValue(random, depth + 1));
    return out;
  }
  return Array.from({ length: Math.floor(random() * 3) }, () => randomValue(random, depth + 1));
}

const edgeNumbers = [0, -1, 1, 1.5, 2 ** 53 - 1, 2 ** 53, -0, Number.NaN, Number.POSITIVE_INFINITY];

/** A value near `old`: its type's edge cases, or its own type written differently (fuzzers find most bugs there). */
export function nearValue(old: unknown, random: () => number): unknown {
  if (typeof old === "number") return random() < 0.8 ? pick(edgeNumbers, random) : String(old);
  if (typeof old === "string") {
    const variants = ["", " ", `${old} `, old.toUpperCase(), `${old}/..`, `{{ ${old} }}`, old.slice(1), `${old}\n`];
    return random() < 0.8 ? pick(variants, random) : /^\d+$/.test(old) ? Number(old) : pick(strings, random);
  }
  if (typeof old === "boolean") return pick([!old, String(old), 1], random);
  if (Array.isArray(old)) return pick([[], [...old, old[0]], old[0]], random);
  if (old !== null && typeof old === "object") return pick([{}, [], "object"], random);
  return randomValue(random);
}

/** An own property, `__proto__` included (as JSON.parse makes one), never the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const clone = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(clone)
    : value !== null && typeof value === "object"
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]))
      : value;

/** Every object and array inside `value`, itself included. */
function containers(value: unknown, found: unknown[] = []): unknown[] {
  if (value === null || typeof value !== "object") return found;
  found.push(value);
  for (const inner of Object.values(value)) containers(inner, found);
  return found;
}

/** A copy of `value` with one to three random edits: a value replaced, a key removed, a key added. */
export function mutations(value: unknown, random: () => number): unknown {
  const copy = clone(value);
  for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
    const target = pick(containers(copy), random) as Record<string, unknown> | unknown[];
    const own = Object.keys(target);
    const r = random();
    if (Array.isArray(target)) {
      if (r < 0.3 && target.length) target.splice(Math.floor(random() * target.length), 1);
      else if (r < 0.6 && target.length) target[Math.floor(random() * target.length)] = randomValue(random);
      else target.push(randomValue(random));
    } else if (r < 0.5 && own.length) {
      const key = pick(own, random);
      setOwn(target, key, random() < 0.6 ? nearValue(target[key], random) : randomValue(random));
    } else if (r < 0.75 && own.length) delete target[pick(own, random)];
    else setOwn(target, pick(keys, random), randomValue(random));
  }
  return copy;
}
