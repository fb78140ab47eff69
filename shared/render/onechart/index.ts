import type { RenderContext } from "../names.js";
import type { K8sObject } from "../types.js";
import { configChecksum, sealedSecret, varsConfigMap } from "./config.js";
import { renderDeployment, renderPodDisruptionBudget } from "./deployment.js";
import { renderIngresses } from "./ingress.js";
import { renderService } from "./service.js";
import { parseOnechartValues } from "./values.js";
import { fileConfigMaps, persistentVolumeClaims } from "./volumes.js";

export { ONECHART_DEFAULTS } from "./container.js";
export { onechartTypeAt } from "./typeAt.js";
export { type OnechartValues, onechartValuesSchema, parseOnechartValues } from "./values.js";

/** The objects onechart renders for `values` (validated first: unknown keys and wrong types are ConfigErrors). */
export function renderOnechart(rawValues: unknown, ctx: RenderContext): K8sObject[] {
  const values = parseOnechartValues(rawValues);
  const configMaps = [...varsConfigMap(values, ctx), ...fileConfigMaps(values, ctx)];
  return [
    renderDeployment(values, ctx, configChecksum(configMaps)),
    renderService(values, ctx),
    ...renderIngresses(values, ctx),
    ...configMaps,
    ...persistentVolumeClaims(values, ctx),
    ...renderPodDisruptionBudget(values, ctx),
    ...sealedSecret(values, ctx),
  ];
}
