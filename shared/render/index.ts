import { ConfigError } from "../errors.js";
import type { Manifest } from "../manifest/schema.js";
import { isOnechart, renderHelmRelease } from "./helmrelease.js";
import { applyJson6902Patches } from "./json6902Patches.js";
import { renderContext } from "./names.js";
import { renderOnechart } from "./onechart/index.js";
import { parseRawManifests } from "./raw.js";
import { applyStrategicMergePatches } from "./strategicMerge.js";
import { objectId } from "./targets.js";
import type { K8sObject } from "./types.js";
import { validateObjects } from "./validate.js";
import { cloneData } from "./yaml.js";

export { assertObjectsAllowed, type ObjectRules, ObjectsNotAllowed, objectProblems } from "./admission.js";
export { GENERATED_HEADER, toRenderedFiles } from "./files.js";
export { isOnechart } from "./helmrelease.js";
export { applyJsonPatch, JsonPatchError, type JsonPatchOperation } from "./json6902.js";
export { robustName } from "./names.js";
export {
  ONECHART_DEFAULTS,
  type OnechartValues,
  onechartTypeAt,
  onechartValuesSchema,
  parseOnechartValues,
} from "./onechart/index.js";
export type { K8sObject, RenderedFile } from "./types.js";

/**
 * The Kubernetes objects of one (already templated) manifest: the chart's objects (onechart built in, any other
 * chart as a Flux HelmRelease), then `manifests`, then `strategicMergePatches`, then `json6902Patches` (the order
 * kustomize applies them in), each object validated against its schema. Pure: same manifest, same objects.
 * Throws ConfigError listing every problem as `path: message`.
 */
export function renderObjects(manifest: Manifest): K8sObject[] {
  const chart = manifest.chart;
  let objects: K8sObject[];
  if (!chart || isOnechart(chart)) {
    objects = renderOnechart(manifest.values, renderContext(manifest, "onechart"));
  } else {
    objects = renderHelmRelease(chart, manifest.values, renderContext(manifest, chart.name));
  }
  objects = [...objects, ...parseRawManifests(manifest.manifests, manifest.namespace)];
  objects = cloneData(objects);
  rejectDuplicates(objects);
  objects = applyStrategicMergePatches(objects, manifest.strategicMergePatches);
  objects = applyJson6902Patches(objects, manifest.json6902Patches);
  validateObjects(objects);
  rejectDuplicates(objects);
  return objects;
}

/** Two objects with one kind, namespace and name would overwrite each other in the cluster. */
function rejectDuplicates(objects: readonly K8sObject[]): void {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const object of objects) {
    const id = objectId(object);
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  if (duplicates.size > 0) {
    throw ConfigError.of(
      [...duplicates].map((id) => ({
        path: id,
        message: "is rendered twice; rename one, or patch the rendered object instead of adding it",
      })),
    );
  }
}
