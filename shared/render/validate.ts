import { HelmRelease } from "@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2beta2/HelmRelease";
import { Kustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization";
import { Receiver } from "@kubernetes-models/flux-cd/notification.toolkit.fluxcd.io/v1/Receiver";
import { Alert } from "@kubernetes-models/flux-cd/notification.toolkit.fluxcd.io/v1beta3/Alert";
import { Provider } from "@kubernetes-models/flux-cd/notification.toolkit.fluxcd.io/v1beta3/Provider";
import { GitRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository";
import { Bucket } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1beta2/Bucket";
import { HelmChart } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1beta2/HelmChart";
import { HelmRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1beta2/HelmRepository";
import { OCIRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1beta2/OCIRepository";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { ReplicaSet } from "kubernetes-models/apps/v1/ReplicaSet";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { HorizontalPodAutoscaler as HorizontalPodAutoscalerV1 } from "kubernetes-models/autoscaling/v1/HorizontalPodAutoscaler";
import { HorizontalPodAutoscaler as HorizontalPodAutoscalerV2 } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Job } from "kubernetes-models/batch/v1/Job";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { IngressClass } from "kubernetes-models/networking.k8s.io/v1/IngressClass";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { PriorityClass } from "kubernetes-models/scheduling.k8s.io/v1/PriorityClass";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Endpoints } from "kubernetes-models/v1/Endpoints";
import { LimitRange } from "kubernetes-models/v1/LimitRange";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PersistentVolume } from "kubernetes-models/v1/PersistentVolume";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Pod } from "kubernetes-models/v1/Pod";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { ConfigError, type Problem } from "../errors.js";
import { DNS_LABEL } from "../names.js";
import { identityProblems } from "./raw.js";
import type { K8sObject } from "./types.js";
import { isRecord } from "./yaml.js";

type ModelClass = new (data: never) => { validate(): void };

interface SchemaEntry {
  model: ModelClass;
  /** The apiVersion the model knows, when it validates a newer version whose schema it lacks. */
  as?: string;
}

/**
 * apiVersion + kind → the schema to validate against. @kubernetes-models/flux-cd 2.3.4 predates some Flux GA
 * versions, so those are validated against the last beta with the apiVersion swapped: HelmRelease v2 as v2beta2
 * (its `chartRef` is checked here, since v2beta2 has no such field) and source v1 HelmRepository/HelmChart/Bucket/
 * OCIRepository as v1beta2. The GA versions only added fields, so a valid object stays valid.
 */
const SCHEMAS: Record<string, SchemaEntry> = {
  "v1/ConfigMap": { model: ConfigMap },
  "v1/Endpoints": { model: Endpoints },
  "v1/LimitRange": { model: LimitRange },
  "v1/Namespace": { model: Namespace },
  "v1/PersistentVolume": { model: PersistentVolume },
  "v1/PersistentVolumeClaim": { model: PersistentVolumeClaim },
  "v1/Pod": { model: Pod },
  "v1/ResourceQuota": { model: ResourceQuota },
  "v1/Secret": { model: Secret },
  "v1/Service": { model: Service },
  "v1/ServiceAccount": { model: ServiceAccount },
  "apps/v1/DaemonSet": { model: DaemonSet },
  "apps/v1/Deployment": { model: Deployment },
  "apps/v1/ReplicaSet": { model: ReplicaSet },
  "apps/v1/StatefulSet": { model: StatefulSet },
  "autoscaling/v1/HorizontalPodAutoscaler": { model: HorizontalPodAutoscalerV1 },
  "autoscaling/v2/HorizontalPodAutoscaler": { model: HorizontalPodAutoscalerV2 },
  "batch/v1/CronJob": { model: CronJob },
  "batch/v1/Job": { model: Job },
  "networking.k8s.io/v1/Ingress": { model: Ingress },
  "networking.k8s.io/v1/IngressClass": { model: IngressClass },
  "networking.k8s.io/v1/NetworkPolicy": { model: NetworkPolicy },
  "policy/v1/PodDisruptionBudget": { model: PodDisruptionBudget },
  "rbac.authorization.k8s.io/v1/ClusterRole": { model: ClusterRole },
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": { model: ClusterRoleBinding },
  "rbac.authorization.k8s.io/v1/Role": { model: Role },
  "rbac.authorization.k8s.io/v1/RoleBinding": { model: RoleBinding },
  "scheduling.k8s.io/v1/PriorityClass": { model: PriorityClass },
  "storage.k8s.io/v1/StorageClass": { model: StorageClass },
  "helm.toolkit.fluxcd.io/v2/HelmRelease": { model: HelmRelease, as: "helm.toolkit.fluxcd.io/v2beta2" },
  "helm.toolkit.fluxcd.io/v2beta2/HelmRelease": { model: HelmRelease },
  "kustomize.toolkit.fluxcd.io/v1/Kustomization": { model: Kustomization },
  "notification.toolkit.fluxcd.io/v1/Receiver": { model: Receiver },
  "notification.toolkit.fluxcd.io/v1beta3/Alert": { model: Alert },
  "notification.toolkit.fluxcd.io/v1beta3/Provider": { model: Provider },
  "source.toolkit.fluxcd.io/v1/GitRepository": { model: GitRepository },
  "source.toolkit.fluxcd.io/v1/Bucket": { model: Bucket, as: "source.toolkit.fluxcd.io/v1beta2" },
  "source.toolkit.fluxcd.io/v1/HelmChart": { model: HelmChart, as: "source.toolkit.fluxcd.io/v1beta2" },
  "source.toolkit.fluxcd.io/v1/HelmRepository": { model: HelmRepository, as: "source.toolkit.fluxcd.io/v1beta2" },
  "source.toolkit.fluxcd.io/v1/OCIRepository": { model: OCIRepository, as: "source.toolkit.fluxcd.io/v1beta2" },
  "source.toolkit.fluxcd.io/v1beta2/Bucket": { model: Bucket },
  "source.toolkit.fluxcd.io/v1beta2/HelmChart": { model: HelmChart },
  "source.toolkit.fluxcd.io/v1beta2/HelmRepository": { model: HelmRepository },
  "source.toolkit.fluxcd.io/v1beta2/OCIRepository": { model: OCIRepository },
};

export function hasSchema(apiVersion: string, kind: string): boolean {
  return Object.hasOwn(SCHEMAS, `${apiVersion}/${kind}`);
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
// RBAC objects may be named like `system:controller:x`; Kubernetes only asks them to be a valid path segment.
const PATH_SEGMENT_KINDS = new Set(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);

function nameProblems(object: K8sObject): string[] {
  const { name, namespace } = object.metadata;
  const problems: string[] = [];
  if (object.kind === "Service" && !DNS_1035_LABEL.test(name)) {
    problems.push(
      `metadata.name: "${name}" must start with a letter and be a DNS label (Service names can't start with a digit)`,
    );
  } else if (object.kind === "Namespace" && !DNS_LABEL.test(name)) {
    problems.push(`metadata.name: "${name}" must be a DNS label`);
  } else if (
    PATH_SEGMENT_KINDS.has(object.kind) ? /[/%]|^\.\.?$/.test(name) : !(DNS_SUBDOMAIN.test(name) && name.length <= 253)
  ) {
    problems.push(`metadata.name: "${name}" must be a DNS subdomain: lowercase letters, digits, '-' and '.'`);
  }
  if (namespace !== undefined && (typeof namespace !== "string" || !DNS_LABEL.test(namespace))) {
    problems.push(`metadata.namespace: "${String(namespace)}" must be a DNS label`);
  }
  return problems;
}

function labelProblems(labels: unknown, path: string): string[] {
  if (!isRecord(labels)) return [];
  return Object.entries(labels).flatMap(([key, value]) => {
    const problems: string[] = [];
    if (!LABEL_NAME.test(key)) problems.push(`${path}: "${key}" is not a valid label name`);
    if (typeof value === "string" && !(LABEL_VALUE.test(value) && value.length <= 63)) {
      problems.push(
        `${path}.${key}: "${value}" is not a valid label value (at most 63 letters, digits, '-', '_', '.')`,
      );
    }
    return problems;
  });
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

function dotted(instancePath: string): string {
  return instancePath
    .split("/")
    .slice(1)
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((out, token) => (/^\d+$/.test(token) ? `${out}[${token}]` : out ? `${out}.${token}` : token), "");
}

/** ajv errors as readable lines; a oneOf (int-or-string, quantity) becomes one line instead of three. */
export function schemaMessages(errors: readonly AjvError[]): string[] {
  const byPath = new Map<string, AjvError[]>();
  for (const error of errors) byPath.set(error.instancePath, [...(byPath.get(error.instancePath) ?? []), error]);
  const messages: string[] = [];
  for (const [instancePath, group] of byPath) {
    const at = dotted(instancePath);
    const union = group.some((error) => error.keyword === "oneOf" || error.keyword === "anyOf");
    if (union) {
      const types = [
        ...new Set(group.filter((error) => error.keyword === "type").map((error) => String(error.params?.type))),
      ];
      messages.push(
        `${at || "(root)"}: must be ${types.length > 0 ? `a ${types.join(" or ")}` : "one of the allowed forms"}`,
      );
      continue;
    }
    const hasTypeError = group.some((error) => error.keyword === "type");
    for (const error of group) {
      if (hasTypeError && error.keyword === "format") continue;
      if (error.keyword === "required") {
        const property = String(error.params?.missingProperty);
        messages.push(`${at ? `${at}.` : ""}${property}: is required`);
      } else if (error.keyword === "enum") {
        messages.push(`${at || "(root)"}: must be one of ${JSON.stringify(error.params?.allowedValues)}`);
      } else {
        messages.push(`${at || "(root)"}: ${error.message ?? error.keyword}`);
      }
    }
  }
  return messages;
}

/** HelmRelease v2's chartRef, which the v2beta2 schema doesn't know: checked here, then swapped for a placeholder chart. */
function prepareHelmReleaseV2(object: K8sObject, problems: string[]): K8sObject {
  const spec = isRecord(object.spec) ? object.spec : undefined;
  if (!spec || spec.chartRef === undefined) return object;
  const ref = spec.chartRef;
  if (spec.chart !== undefined) problems.push("spec: set chart or chartRef, not both");
  if (!isRecord(ref) || (ref.kind !== "OCIRepository" && ref.kind !== "HelmChart"))
    problems.push("spec.chartRef.kind: must be OCIRepository or HelmChart");
  if (!isRecord(ref) || typeof ref.name !== "string" || ref.name === "")
    problems.push("spec.chartRef.name: is required");
  const { chartRef: _chartRef, ...rest } = spec;
  return {
    ...object,
    spec: {
      ...rest,
      chart: { spec: { chart: "placeholder", sourceRef: { kind: "HelmRepository", name: "placeholder" } } },
    },
  };
}

/** Problems with one object: its identity, names and labels, then its Kubernetes schema when we have one. */
export function objectProblems(object: K8sObject): string[] {
  const identity = identityProblems(object);
  if (identity.length > 0) return identity;
  const problems = [...nameProblems(object), ...labelProblems(object.metadata.labels, "metadata.labels")];
  const template =
    isRecord(object.spec) && isRecord(object.spec.template) && isRecord(object.spec.template.metadata)
      ? object.spec.template.metadata
      : undefined;
  if (template) problems.push(...labelProblems(template.labels, "spec.template.metadata.labels"));
  const entry = SCHEMAS[`${object.apiVersion}/${object.kind}`];
  if (!entry) return problems;
  let data = object;
  if (object.apiVersion === "helm.toolkit.fluxcd.io/v2" && object.kind === "HelmRelease")
    data = prepareHelmReleaseV2(object, problems);
  if (entry.as) data = { ...data, apiVersion: entry.as };
  try {
    new entry.model(data as never).validate();
  } catch (error) {
    const errors = (error as { errors?: unknown }).errors;
    if (!Array.isArray(errors)) throw error;
    problems.push(...schemaMessages(errors as AjvError[]));
  }
  return problems;
}

/** Validate every object; all problems at once as `<kind>/<name>: <message>`. */
export function validateObjects(objects: readonly K8sObject[]): void {
  const problems: Problem[] = [];
  objects.forEach((object, index) => {
    const path =
      typeof object?.kind === "string" && typeof object?.metadata?.name === "string"
        ? `${object.kind}/${object.metadata.name}`
        : `objects[${index}]`;
    for (const message of objectProblems(object)) problems.push({ path, message });
  });
  if (problems.length > 0) throw ConfigError.of(problems);
}
