import { ConfigError, type Problem } from "../errors.js";
import { findTargets, noTargetMessage } from "./targets.js";
import type { K8sObject } from "./types.js";
import { cloneData, isRecord, parseYamlStream } from "./yaml.js";

// A strategic merge in the spirit of `kubectl patch --type strategic` / kustomize patchesStrategicMerge, without
// the per-field OpenAPI metadata: maps merge recursively, `null` deletes a key, the lists below merge item by item
// on their name, every other list is replaced. `$patch: delete` removes a map or a list item, `$patch: replace`
// replaces a map (or, as a list item of its own, the whole list) instead of merging.

/** Lists merged item by item. Items are matched on `name`; port items without one on their port number. */
export const MERGED_LISTS = new Set([
  "containers",
  "initContainers",
  "ephemeralContainers",
  "volumes",
  "env",
  "ports",
  "volumeMounts",
  "imagePullSecrets",
]);

class MergeError extends Error {}

const DELETE = Symbol("delete");

function directive(value: Record<string, unknown>): "merge" | "delete" | "replace" {
  const patch = value.$patch;
  if (patch === undefined || patch === "merge") return "merge";
  if (patch === "delete" || patch === "replace") return patch;
  throw new MergeError(`unknown $patch: ${JSON.stringify(patch)} (use delete or replace)`);
}

/** A patch value with its `$patch` directives removed, for where it is inserted rather than merged. */
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value))
    return value
      .filter((item) => !(isRecord(item) && item.$patch !== undefined && directive(item) !== "merge"))
      .map(stripDirectives);
  if (isRecord(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === "$patch" || item === null) continue;
      result[key] = stripDirectives(item);
    }
    return result;
  }
  return value;
}

function mergeKey(item: unknown): string | undefined {
  if (!isRecord(item)) return undefined;
  const key = item.name ?? item.containerPort ?? item.port;
  return key === undefined ? undefined : JSON.stringify(key);
}

function mergeList(target: unknown[], patch: unknown[]): unknown[] {
  if (patch.some((item) => isRecord(item) && item.$patch === "replace")) {
    return stripDirectives(patch.filter((item) => !(isRecord(item) && item.$patch === "replace"))) as unknown[];
  }
  const result = cloneData(target);
  for (const item of patch) {
    const key = mergeKey(item);
    const existing = key === undefined ? -1 : result.findIndex((candidate) => mergeKey(candidate) === key);
    if (isRecord(item) && directive(item) === "delete") {
      if (existing >= 0) result.splice(existing, 1);
      continue;
    }
    if (existing >= 0 && isRecord(result[existing]) && isRecord(item)) {
      result[existing] = mergeMap(result[existing] as Record<string, unknown>, item);
    } else {
      result.push(stripDirectives(item));
    }
  }
  return result;
}

function mergeMap(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> | typeof DELETE {
  const mode = directive(patch);
  if (mode === "delete") return DELETE;
  if (mode === "replace") return stripDirectives(patch) as Record<string, unknown>;
  const result: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$patch") continue;
    const current = result[key];
    if (value === null) {
      delete result[key];
    } else if (isRecord(value)) {
      const merged = isRecord(current)
        ? mergeMap(current, value)
        : directive(value) === "delete"
          ? DELETE
          : stripDirectives(value);
      if (merged === DELETE) delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) {
      result[key] =
        MERGED_LISTS.has(key) && Array.isArray(current) ? mergeList(current, value) : stripDirectives(value);
    } else {
      result[key] = value;
    }
  }
  return result;
}

/** Apply every document of `strategicMergePatches` to the rendered object with its kind and name. */
export function applyStrategicMergePatches(objects: K8sObject[], text: string | undefined): K8sObject[] {
  if (text === undefined || text.trim() === "") return objects;
  const documents = parseYamlStream(text, "strategicMergePatches");
  const result = [...objects];
  const problems: Problem[] = [];
  documents.forEach((doc, index) => {
    if (doc === null || doc === undefined) return;
    const path = `strategicMergePatches[${index}]`;
    const metadata = isRecord(doc) && isRecord(doc.metadata) ? doc.metadata : undefined;
    if (!isRecord(doc) || typeof doc.kind !== "string" || typeof metadata?.name !== "string") {
      problems.push({ path, message: "must be a map with kind and metadata.name naming the object to patch" });
      return;
    }
    const selector = {
      kind: doc.kind,
      name: metadata.name,
      namespace: typeof metadata.namespace === "string" ? metadata.namespace : undefined,
    };
    const targets = findTargets(result, selector);
    if (targets.length === 0) {
      problems.push({ path, message: noTargetMessage(result, selector) });
      return;
    }
    if (targets.length > 1) {
      problems.push({ path, message: `matches ${targets.length} objects; add metadata.namespace` });
      return;
    }
    const target = targets[0] as number;
    // apiVersion and kind identify the target; the patch never rewrites them.
    const { apiVersion: _apiVersion, kind: _kind, ...body } = doc;
    try {
      const merged = mergeMap(result[target] as K8sObject, body);
      if (merged === DELETE) {
        problems.push({
          path,
          message: "$patch: delete on a whole object is not supported; remove it from the manifest instead",
        });
        return;
      }
      result[target] = merged as K8sObject;
    } catch (error) {
      if (!(error instanceof MergeError)) throw error;
      problems.push({ path, message: error.message });
    }
  });
  if (problems.length > 0) throw ConfigError.of(problems);
  return result;
}
