import { ConfigError, type Problem } from "../errors.js";
import { isClusterScoped } from "./scope.js";
import type { K8sObject } from "./types.js";
import { cloneData, isRecord, parseYamlStream } from "./yaml.js";

/** Problems with the identity fields every object needs, or none. */
export function identityProblems(doc: Record<string, unknown>): string[] {
  const missing: string[] = [];
  if (typeof doc.apiVersion !== "string" || doc.apiVersion === "") missing.push("apiVersion");
  if (typeof doc.kind !== "string" || doc.kind === "") missing.push("kind");
  if (!isRecord(doc.metadata) || typeof doc.metadata.name !== "string" || doc.metadata.name === "")
    missing.push("metadata.name");
  return missing.length > 0 ? [`missing ${missing.join(", ")}`] : [];
}

/**
 * `manifests`: raw multi-document YAML appended as is. Empty documents are skipped; `manifests[<i>]` counts every
 * document as written. A namespaced object without a namespace gets the manifest's.
 */
export function parseRawManifests(text: string | undefined, namespace: string | undefined): K8sObject[] {
  if (text === undefined || text.trim() === "") return [];
  const documents = parseYamlStream(text, "manifests");
  const objects: K8sObject[] = [];
  const problems: Problem[] = [];
  documents.forEach((doc, index) => {
    if (doc === null || doc === undefined) return;
    const path = `manifests[${index}]`;
    if (!isRecord(doc)) {
      problems.push({ path, message: "must be a Kubernetes object (a map with apiVersion, kind and metadata)" });
      return;
    }
    const identity = identityProblems(doc);
    if (identity.length > 0) {
      problems.push(...identity.map((message) => ({ path, message })));
      return;
    }
    const object = cloneData(doc) as K8sObject;
    if (namespace && object.metadata.namespace === undefined && !isClusterScoped(object.kind))
      object.metadata.namespace = namespace;
    objects.push(object);
  });
  if (problems.length > 0) throw ConfigError.of(problems);
  return objects;
}
