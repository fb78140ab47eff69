import { commonLabels, objectMeta, type RenderContext, selectorLabels } from "../names.js";
import type { K8sObject } from "../types.js";
import { gitAnnotations } from "./annotations.js";
import { ONECHART_DEFAULTS, renderContainer } from "./container.js";
import type { OnechartValues } from "./values.js";
import { hasClaimVolumes, podVolumes, volumeMounts } from "./volumes.js";

function nonEmpty<T extends object>(value: T | undefined): T | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0) ? value : undefined;
}

/** Helm merges a user's map with the chart default key by key, and a `null` drops a default key. */
function mergeDefaults(
  defaults: Record<string, unknown>,
  given: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const merged = { ...defaults, ...given };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== null));
}

function affinity(values: OnechartValues, ctx: RenderContext): Record<string, unknown> | undefined {
  const spread = values.spreadAcrossNodes
    ? {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              labelSelector: {
                matchExpressions: [{ key: "app.kubernetes.io/instance", operator: "In", values: [ctx.name] }],
              },
              topologyKey: "kubernetes.io/hostname",
            },
          ],
        },
      }
    : {};
  return nonEmpty({ ...spread, ...values.affinity });
}

function strategy(values: OnechartValues, replicas: number): Record<string, unknown> | undefined {
  if (values.strategy) return { type: values.strategy };
  // Two pods can't mount one ReadWriteOnce claim during a rolling update: replace the only pod instead.
  if (replicas === 1 && hasClaimVolumes(values)) return { type: "Recreate" };
  return undefined;
}

export function renderDeployment(values: OnechartValues, ctx: RenderContext, checksum: string | undefined): K8sObject {
  const replicas = values.replicas ?? 1;
  const podAnnotations: Record<string, string> = {
    ...(checksum ? { "checksum/config": checksum } : {}),
    ...values.podAnnotations,
    ...gitAnnotations(values, ["sha", "repository"]),
  };
  const imagePullSecrets = values.imagePullSecrets?.map((secret) => ({
    name: typeof secret === "string" ? secret : secret.name,
  }));
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: objectMeta(ctx, ctx.name, {
      "kubectl.kubernetes.io/default-container": ctx.name,
      ...gitAnnotations(values, ["sha", "repository", "branch"]),
    }),
    spec: {
      replicas,
      selector: { matchLabels: selectorLabels(ctx) },
      strategy: strategy(values, replicas),
      template: {
        metadata: { labels: { ...values.podLabels, ...commonLabels(ctx) }, annotations: nonEmpty(podAnnotations) },
        spec: {
          imagePullSecrets: nonEmpty(imagePullSecrets),
          securityContext: nonEmpty(mergeDefaults(ONECHART_DEFAULTS.podSecurityContext, values.podSecurityContext)),
          serviceAccountName: values.serviceAccount,
          containers: [renderContainer(values, ctx.name, volumeMounts(values))],
          volumes: nonEmpty(podVolumes(values, ctx)),
          nodeSelector: nonEmpty(values.nodeSelector),
          affinity: affinity(values, ctx),
          tolerations: nonEmpty(values.tolerations),
        },
      },
    },
  };
}

/** onechart keeps one pod up during voluntary disruptions (node drains) once there is more than one. */
export function renderPodDisruptionBudget(values: OnechartValues, ctx: RenderContext): K8sObject[] {
  if ((values.replicas ?? 1) <= 1 || values.podDisruptionBudgetEnabled === false) return [];
  return [
    {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: objectMeta(ctx, ctx.name),
      spec: { minAvailable: 1, selector: { matchLabels: selectorLabels(ctx) } },
    },
  ];
}
