import type { K8sObject } from "./types.js";

export interface ObjectSelector {
  kind: string;
  name: string;
  namespace?: string;
  group?: string;
  version?: string;
}

export function objectId(object: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return `${object.kind}/${object.metadata.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata.name}`;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Indexes of the objects a patch target selects: kind and name always, namespace/group/version when given. */
export function findTargets(objects: readonly K8sObject[], selector: ObjectSelector): number[] {
  const matches: number[] = [];
  objects.forEach((object, index) => {
    if (object.kind !== selector.kind || object.metadata.name !== selector.name) return;
    if (selector.namespace !== undefined && (object.metadata.namespace ?? "") !== selector.namespace) return;
    const { group, version } = splitApiVersion(object.apiVersion);
    if (selector.group !== undefined && selector.group !== group) return;
    if (selector.version !== undefined && selector.version !== version) return;
    matches.push(index);
  });
  return matches;
}

/** "no rendered object is Deployment/web (rendered: Deployment/app, Service/app)" */
export function noTargetMessage(objects: readonly K8sObject[], selector: ObjectSelector): string {
  const wanted = `${selector.kind}/${selector.namespace ? `${selector.namespace}/` : ""}${selector.name}`;
  const rendered = objects.map(objectId).sort().join(", ");
  return `no rendered object is ${wanted} (rendered: ${rendered || "none"})`;
}
