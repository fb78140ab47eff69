import { load, YAMLException } from "js-yaml";
import { ConfigError, type Problem } from "../errors.js";
import { type Json6902Patch, json6902OperationSchema } from "../manifest/schema.js";
import { formatPath } from "../validation.js";
import { applyJsonPatch, JsonPatchError, type JsonPatchOperation } from "./json6902.js";
import { identityProblems } from "./raw.js";
import { findTargets, noTargetMessage } from "./targets.js";
import type { K8sObject } from "./types.js";
import { isRecord } from "./yaml.js";

/** The operations of one patch, given as a list or as a YAML/JSON string of one. */
function patchOperations(
  patch: Json6902Patch["patch"],
  path: string,
  problems: Problem[],
): JsonPatchOperation[] | undefined {
  let operations: unknown = patch;
  if (typeof patch === "string") {
    try {
      operations = load(patch, { maxAliases: 50 });
    } catch (error) {
      if (!(error instanceof YAMLException)) throw error;
      problems.push({ path: `${path}.patch`, message: `invalid YAML: ${error.reason ?? error.message}` });
      return undefined;
    }
  }
  if (!Array.isArray(operations)) {
    problems.push({ path: `${path}.patch`, message: "must be a list of operations ({op, path, value})" });
    return undefined;
  }
  const before = problems.length;
  operations.forEach((operation, index) => {
    const parsed = json6902OperationSchema.safeParse(operation);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ path: formatPath([`${path}.patch`, index, ...issue.path]), message: issue.message });
      }
    }
  });
  return problems.length === before ? (operations as JsonPatchOperation[]) : undefined;
}

/** Apply `json6902Patches` in order; every unmatched target and failing operation is reported at once. */
export function applyJson6902Patches(objects: K8sObject[], patches: readonly Json6902Patch[] | undefined): K8sObject[] {
  if (!patches || patches.length === 0) return objects;
  const result = [...objects];
  const problems: Problem[] = [];
  patches.forEach((patch, patchIndex) => {
    const path = `json6902Patches[${patchIndex}]`;
    const operations = patchOperations(patch.patch, path, problems);
    const targets = findTargets(result, patch.target);
    if (targets.length === 0) {
      problems.push({ path: `${path}.target`, message: noTargetMessage(result, patch.target) });
      return;
    }
    if (targets.length > 1) {
      problems.push({ path: `${path}.target`, message: `matches ${targets.length} objects; add target.namespace` });
      return;
    }
    if (!operations) return;
    const index = targets[0] as number;
    try {
      const patched = applyJsonPatch(result[index], operations);
      const identity = isRecord(patched) ? identityProblems(patched) : ["the result is not an object"];
      if (identity.length > 0) {
        problems.push({ path, message: `the patched object is no longer a Kubernetes object: ${identity.join("; ")}` });
        return;
      }
      result[index] = patched as K8sObject;
    } catch (error) {
      if (!(error instanceof JsonPatchError)) throw error;
      problems.push({ path: `${path}.patch[${error.index}]`, message: error.message });
    }
  });
  if (problems.length > 0) throw ConfigError.of(problems);
  return result;
}
