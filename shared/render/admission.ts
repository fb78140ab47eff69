import { ConfigError, formatProblems, type Problem } from "../errors.js";
import { compileGlob } from "../policy/glob.js";
import { isClusterScoped } from "./scope.js";
import type { K8sObject } from "./types.js";

/** What an environment lets a manifest put in its cluster (`namespaces`, `clusterScoped` of DESIGN §7). */
export interface ObjectRules {
  /** Globs of the namespaces objects may live in; absent = any. */
  namespaces?: readonly string[];
  /** Cluster-scoped objects: none (false, the default), any (true), or these kinds. */
  clusterScoped?: boolean | readonly string[];
}

/** Rendered objects an environment refuses: a ConfigError whose problems name each object. */
export class ObjectsNotAllowed extends ConfigError {
  readonly reasonCode = "object_not_allowed" as const;

  static override of(problems: Problem[], summary?: string): ObjectsNotAllowed {
    return new ObjectsNotAllowed(summary ?? formatProblems(problems), problems);
  }
}

const objectPath = (object: K8sObject) => `${object.kind}/${object.metadata?.name ?? "?"}`;

/**
 * Every rendered object the env refuses, as `Kind/name: message` (onechart output, raw manifests and patched objects
 * alike: this runs on the final objects). A namespaced object without a namespace lands in the namespace Flux
 * applies to, which the env can't vouch for, so with `namespaces` set it must name one. A HelmRelease is checked by
 * its own namespace and `spec.targetNamespace`; what its chart creates is up to helm-controller's service account.
 */
export function objectProblems(objects: readonly K8sObject[], rules: ObjectRules, env: string): Problem[] {
  const problems: Problem[] = [];
  const allowedNamespace = rules.namespaces?.length
    ? (ns: string) => (rules.namespaces ?? []).some((glob) => compileGlob(glob)(ns))
    : undefined;
  const clusterScoped = rules.clusterScoped ?? false;
  for (const object of objects) {
    const path = objectPath(object);
    if (isClusterScoped(object.kind)) {
      const allowed = clusterScoped === true || (Array.isArray(clusterScoped) && clusterScoped.includes(object.kind));
      if (!allowed)
        problems.push({
          path,
          message: `${object.kind} is cluster-scoped; ${env} allows ${
            Array.isArray(clusterScoped) && clusterScoped.length
              ? `only ${clusterScoped.join(", ")}`
              : "no cluster-scoped objects"
          } (clusterScoped in .github/gimlet.yml)`,
        });
      continue;
    }
    if (!allowedNamespace) continue;
    const namespaces = [object.metadata?.namespace];
    const target = (object.spec as { targetNamespace?: unknown } | undefined)?.targetNamespace;
    if (object.kind === "HelmRelease" && typeof target === "string") namespaces.push(target);
    for (const ns of namespaces) {
      if (ns === undefined || ns === "")
        problems.push({
          path,
          message: `no namespace; ${env} allows namespaces ${rules.namespaces?.join(", ")}: set namespace in the manifest`,
        });
      else if (!allowedNamespace(ns))
        problems.push({
          path,
          message: `namespace ${ns} is not allowed in ${env} (namespaces: ${rules.namespaces?.join(", ")})`,
        });
    }
  }
  return problems;
}

/** Throw ObjectsNotAllowed listing every refused object; nothing is written before this passes. */
export function assertObjectsAllowed(objects: readonly K8sObject[], rules: ObjectRules, env: string): void {
  const problems = objectProblems(objects, rules, env);
  if (problems.length) throw ObjectsNotAllowed.of(problems);
}
