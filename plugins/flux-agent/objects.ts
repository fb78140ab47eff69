/**
 * Compact snapshots of the Kubernetes objects the agent watches. Only the fields the rollout decision reads are
 * kept, so memory stays flat however long the watches run and however large the objects are.
 */

export const APP_LABEL = "gimlet.io/app";
export const ENV_LABEL = "gimlet.io/env";
const KUSTOMIZATION_NAME = "kustomize.toolkit.fluxcd.io/name";
const KUSTOMIZATION_NAMESPACE = "kustomize.toolkit.fluxcd.io/namespace";
const REVISION = "deployment.kubernetes.io/revision";
const TEMPLATE_HASH = "pod-template-hash";
const MESSAGE_LIMIT = 300;

/** What the agent knows about one Deployment. */
export interface DeploymentSnap {
  kind: "Deployment";
  key: string;
  namespace: string;
  name: string;
  uid: string;
  env: string;
  app: string;
  kustomization?: string;
  generation: number;
  observedGeneration: number;
  revision?: string;
  desired: number;
  replicas: number;
  updated: number;
  ready: number;
  images: string[];
  progressDeadlineSeconds: number;
  progressing?: { status: string; reason?: string; message?: string };
}

export interface ReplicaSetSnap {
  kind: "ReplicaSet";
  key: string;
  namespace: string;
  name: string;
  env: string;
  app: string;
  owner?: string;
  revision?: string;
  templateHash?: string;
  images: string[];
}

export interface ContainerSnap {
  name: string;
  /** An init container: its readiness says nothing about the pod's. */
  init: boolean;
  ready: boolean;
  restartCount: number;
  image?: string;
  imageID?: string;
  waitingReason?: string;
  waitingMessage?: string;
  runningSince?: string;
  terminatedReason?: string;
  lastTerminatedReason?: string;
  lastExitCode?: number;
}

export interface PodSnap {
  kind: "Pod";
  key: string;
  namespace: string;
  name: string;
  env: string;
  app: string;
  templateHash?: string;
  deleting: boolean;
  containers: ContainerSnap[];
}

export interface KustomizationSnap {
  kind: "Kustomization";
  key: string;
  ready: boolean;
  /** The gitops commit sha of `status.lastAppliedRevision`. */
  revision?: string;
}

export type Snap = DeploymentSnap | ReplicaSetSnap | PodSnap | KustomizationSnap;

/** A JSON object as the API server sends it; the agent reads it defensively. */
export type RawObject = Record<string, unknown>;

function record(value: unknown): RawObject {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as RawObject) : {};
}
function list(value: unknown): RawObject[] {
  return Array.isArray(value) ? value.map(record) : [];
}
function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
function count(value: unknown, fallback = 0): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}
/** Copy a string out of the parsed object, so the snapshot never pins the whole JSON text it was sliced from. */
function own(value: string | undefined, limit = 253): string | undefined {
  return value === undefined ? undefined : ` ${value.slice(0, limit)}`.slice(1);
}

export function objectKey(raw: RawObject): string {
  const meta = record(raw.metadata);
  return `${text(meta.namespace) ?? ""}/${text(meta.name) ?? ""}`;
}

function images(podSpec: RawObject): string[] {
  return list(podSpec.containers).map((c) => own(text(c.image)) ?? "");
}

export function compactDeployment(raw: RawObject): DeploymentSnap | undefined {
  const meta = record(raw.metadata);
  const labels = record(meta.labels);
  const env = text(labels[ENV_LABEL]);
  const app = text(labels[APP_LABEL]);
  if (!env || !app) return undefined;
  const spec = record(raw.spec);
  const status = record(raw.status);
  const annotations = record(meta.annotations);
  const ksName = text(labels[KUSTOMIZATION_NAME]);
  const ksNamespace = text(labels[KUSTOMIZATION_NAMESPACE]);
  const progressing = list(status.conditions).find((c) => c.type === "Progressing");
  return {
    kind: "Deployment",
    key: objectKey(raw),
    namespace: own(text(meta.namespace)) ?? "",
    name: own(text(meta.name)) ?? "",
    uid: own(text(meta.uid)) ?? "",
    env: own(env) as string,
    app: own(app) as string,
    kustomization: ksName ? `${own(ksNamespace) ?? ""}/${own(ksName)}` : undefined,
    generation: count(meta.generation, 1),
    observedGeneration: count(status.observedGeneration),
    revision: own(text(annotations[REVISION])),
    desired: count(spec.replicas, 1),
    replicas: count(status.replicas),
    updated: count(status.updatedReplicas),
    ready: count(status.readyReplicas),
    images: images(record(record(record(spec.template).spec))),
    progressDeadlineSeconds: count(spec.progressDeadlineSeconds, 600),
    progressing: progressing
      ? {
          status: own(text(progressing.status)) ?? "Unknown",
          reason: own(text(progressing.reason)),
          message: own(text(progressing.message), MESSAGE_LIMIT),
        }
      : undefined,
  };
}

export function compactReplicaSet(raw: RawObject): ReplicaSetSnap | undefined {
  const meta = record(raw.metadata);
  const labels = record(meta.labels);
  const env = text(labels[ENV_LABEL]);
  const app = text(labels[APP_LABEL]);
  if (!env || !app) return undefined;
  const owner = list(meta.ownerReferences).find((o) => o.kind === "Deployment");
  return {
    kind: "ReplicaSet",
    key: objectKey(raw),
    namespace: own(text(meta.namespace)) ?? "",
    name: own(text(meta.name)) ?? "",
    env: own(env) as string,
    app: own(app) as string,
    owner: own(text(owner?.name)),
    revision: own(text(record(meta.annotations)[REVISION])),
    templateHash: own(text(record(meta.labels)[TEMPLATE_HASH])),
    images: images(record(record(record(raw.spec).template).spec)),
  };
}

function container(status: RawObject, init: boolean): ContainerSnap {
  const state = record(status.state);
  const waiting = record(state.waiting);
  const running = record(state.running);
  const terminated = record(state.terminated);
  const last = record(record(status.lastState).terminated);
  return {
    name: own(text(status.name)) ?? "",
    init,
    ready: status.ready === true,
    restartCount: count(status.restartCount),
    image: own(text(status.image)),
    imageID: own(text(status.imageID)),
    waitingReason: own(text(waiting.reason)),
    waitingMessage: own(text(waiting.message), MESSAGE_LIMIT),
    runningSince: own(text(running.startedAt)),
    terminatedReason: own(text(terminated.reason)),
    lastTerminatedReason: own(text(last.reason)),
    lastExitCode: typeof last.exitCode === "number" ? last.exitCode : undefined,
  };
}

export function compactPod(raw: RawObject): PodSnap | undefined {
  const meta = record(raw.metadata);
  const labels = record(meta.labels);
  const env = text(labels[ENV_LABEL]);
  const app = text(labels[APP_LABEL]);
  if (!env || !app) return undefined;
  const status = record(raw.status);
  return {
    kind: "Pod",
    key: objectKey(raw),
    namespace: own(text(meta.namespace)) ?? "",
    name: own(text(meta.name)) ?? "",
    env: own(env) as string,
    app: own(app) as string,
    templateHash: own(text(labels[TEMPLATE_HASH])),
    deleting: typeof meta.deletionTimestamp === "string",
    containers: [
      ...list(status.initContainerStatuses).map((c) => container(c, true)),
      ...list(status.containerStatuses).map((c) => container(c, false)),
    ],
  };
}

/** `main@sha1:<sha>` (Flux v2.x), `main/<sha>` (older Flux) or `sha1:<sha>`: the commit sha, or undefined. */
export function revisionSha(revision: string | undefined): string | undefined {
  const match = revision ? /(?:^|[@/:])([0-9a-f]{40}(?:[0-9a-f]{24})?)$/.exec(revision) : null;
  return match?.[1];
}

export function compactKustomization(raw: RawObject): KustomizationSnap {
  const status = record(raw.status);
  const ready = list(status.conditions).find((c) => c.type === "Ready");
  return {
    kind: "Kustomization",
    key: objectKey(raw),
    ready: ready?.status === "True",
    revision: own(revisionSha(text(status.lastAppliedRevision)), 64),
  };
}
