import { loadAll, YAMLException } from "js-yaml";
import { ConfigError } from "../errors.js";

// YAML embedded in a manifest (`manifests`, `strategicMergePatches`, string `json6902Patches[].patch`).
// Aliases are capped so a small string can't expand into a huge object.
const LIMITS = { maxAliases: 50, maxDepth: 64 };

/** Every document of a YAML stream, empty ones kept as `null` so indexes match what the user wrote. */
export function parseYamlStream(text: string, path: string): unknown[] {
  try {
    return loadAll(text, { maxAliases: LIMITS.maxAliases, maxDepth: LIMITS.maxDepth });
  } catch (error) {
    if (error instanceof YAMLException) {
      const mark = error.mark ? ` (line ${error.mark.line + 1}, column ${error.mark.column + 1})` : "";
      throw ConfigError.at(path, `invalid YAML: ${error.reason ?? error.message}${mark}`);
    }
    throw error;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A deep copy of plain data (what YAML and JSON give), dropping `undefined` members. */
export function cloneData<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => cloneData(item)) as T;
  if (isRecord(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) copy[key] = cloneData(item);
    return copy as T;
  }
  return value;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]))
    );
  }
  return false;
}
