import { createHash } from "node:crypto";
import { objectMeta, type RenderContext } from "../names.js";
import type { K8sObject } from "../types.js";
import type { OnechartValues } from "./values.js";

/** `vars` become a ConfigMap named after the app, loaded into the container with envFrom. */
export function varsConfigMap(values: OnechartValues, ctx: RenderContext): K8sObject[] {
  if (!values.vars || Object.keys(values.vars).length === 0) return [];
  return [
    { apiVersion: "v1", kind: "ConfigMap", metadata: objectMeta(ctx, ctx.name), data: sortedRecord(values.vars) },
  ];
}

/** `sealedSecrets` become one bitnami SealedSecret named after the app (cluster-wide, as onechart seals them). */
export function sealedSecret(values: OnechartValues, ctx: RenderContext): K8sObject[] {
  if (!values.sealedSecrets || Object.keys(values.sealedSecrets).length === 0) return [];
  const templateMeta: Record<string, string> = { name: ctx.name };
  if (ctx.namespace) templateMeta.namespace = ctx.namespace;
  return [
    {
      apiVersion: "bitnami.com/v1alpha1",
      kind: "SealedSecret",
      metadata: objectMeta(ctx, ctx.name, { "sealedsecrets.bitnami.com/cluster-wide": "true" }),
      spec: { encryptedData: sortedRecord(values.sealedSecrets), template: { metadata: templateMeta } },
    },
  ];
}

/**
 * sha256 over the data of the ConfigMaps the chart renders (vars and volume files), so a changed value restarts
 * the pods. Hashes a canonical JSON form (sorted keys), not YAML text, so formatting never changes it.
 */
export function configChecksum(configMaps: K8sObject[]): string | undefined {
  if (configMaps.length === 0) return undefined;
  const canonical = configMaps
    .map((configMap) => ({
      name: configMap.metadata.name,
      data: sortedRecord((configMap.data ?? {}) as Record<string, string>),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
