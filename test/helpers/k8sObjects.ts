/**
 * Realistic objects as a cluster running Flux holds them for an app Gimlet rendered (onechart labels + the labels
 * kustomize-controller adds), with the statuses the controllers write during a rollout.
 */
type Obj = Record<string, any>;

export const NS = "shop";
export const FLUX_NS = "flux-system";

export interface AppShape {
  app: string;
  env: string;
  image: string;
  replicas: number;
  /** The pod-template-hash of the current ReplicaSet (changes with every template change). */
  hash: string;
  /** deployment.kubernetes.io/revision */
  revision: number;
  generation: number;
}

export function labels(shape: AppShape): Record<string, string> {
  return {
    "app.kubernetes.io/name": "onechart",
    "app.kubernetes.io/instance": shape.app,
    "app.kubernetes.io/managed-by": "gimlet",
    "gimlet.io/app": shape.app,
    "gimlet.io/env": shape.env,
  };
}

export function kustomization(name: string, revision: string | undefined, ready = true): Obj {
  return {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name, namespace: FLUX_NS, uid: `ks-${name}`, generation: 1 },
    spec: {
      interval: "1m",
      path: `./${name}`,
      prune: true,
      sourceRef: { kind: "GitRepository", name: "gitops" },
    },
    status: {
      observedGeneration: 1,
      ...(revision
        ? { lastAppliedRevision: `main@sha1:${revision}`, lastAttemptedRevision: `main@sha1:${revision}` }
        : {}),
      conditions: [
        {
          type: "Ready",
          status: ready ? "True" : "False",
          reason: ready ? "ReconciliationSucceeded" : "ReconciliationFailed",
          message: ready ? `Applied revision: main@sha1:${revision}` : "kustomize build failed",
          lastTransitionTime: "2026-12-01T10:00:00Z",
        },
      ],
    },
  };
}

/** A Deployment; `status` defaults to a finished rollout of `shape`. */
export function deployment(
  shape: AppShape,
  status: Partial<Record<string, unknown>> = {},
  kustomizationName = shape.env,
): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: shape.app,
      namespace: NS,
      uid: `dep-${shape.env}-${shape.app}`,
      generation: shape.generation,
      labels: {
        ...labels(shape),
        "kustomize.toolkit.fluxcd.io/name": kustomizationName,
        "kustomize.toolkit.fluxcd.io/namespace": FLUX_NS,
      },
      annotations: { "deployment.kubernetes.io/revision": String(shape.revision), "gimlet.io/git-sha": "5f2b3c4" },
      managedFields: [{ manager: "kustomize-controller", operation: "Apply", apiVersion: "apps/v1" }],
    },
    spec: {
      replicas: shape.replicas,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { "app.kubernetes.io/name": "onechart", "app.kubernetes.io/instance": shape.app } },
      template: {
        metadata: { labels: labels(shape), annotations: { "checksum/config": "abc" } },
        spec: {
          containers: [
            {
              name: shape.app,
              image: shape.image,
              ports: [{ name: "http", containerPort: 80 }],
              readinessProbe: { httpGet: { path: "/", port: 80 } },
              resources: { requests: { cpu: "200m", memory: "200Mi" }, limits: { memory: "200Mi" } },
            },
          ],
        },
      },
    },
    status: {
      observedGeneration: shape.generation,
      replicas: shape.replicas,
      updatedReplicas: shape.replicas,
      readyReplicas: shape.replicas,
      availableReplicas: shape.replicas,
      conditions: [
        { type: "Available", status: "True", reason: "MinimumReplicasAvailable" },
        {
          type: "Progressing",
          status: "True",
          reason: "NewReplicaSetAvailable",
          message: `ReplicaSet "${shape.app}-${shape.hash}" has successfully progressed.`,
        },
      ],
      ...status,
    },
  };
}

export function replicaSet(shape: AppShape): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${shape.app}-${shape.hash}`,
      namespace: NS,
      uid: `rs-${shape.app}-${shape.hash}`,
      labels: { ...labels(shape), "pod-template-hash": shape.hash },
      annotations: {
        "deployment.kubernetes.io/revision": String(shape.revision),
        "deployment.kubernetes.io/desired-replicas": String(shape.replicas),
      },
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          name: shape.app,
          uid: `dep-${shape.env}-${shape.app}`,
          controller: true,
        },
      ],
    },
    spec: {
      replicas: shape.replicas,
      template: {
        metadata: { labels: { ...labels(shape), "pod-template-hash": shape.hash } },
        spec: { containers: [{ name: shape.app, image: shape.image }] },
      },
    },
    status: { replicas: shape.replicas, readyReplicas: shape.replicas },
  };
}

export type ContainerState = Obj;

export const running = (image: string, ready = true, startedAt = "2026-12-01T10:00:00Z"): Obj => ({
  ready,
  started: true,
  restartCount: 0,
  image: `docker.io/${image.includes("/") ? image : `library/${image}`}`,
  imageID: `docker.io/library/${image.split(":")[0]}@sha256:${"ab".repeat(32)}`,
  state: { running: { startedAt } },
});

export const imagePullBackOff = (image: string): Obj => ({
  ready: false,
  started: false,
  restartCount: 0,
  image,
  imageID: "",
  state: {
    waiting: {
      reason: "ImagePullBackOff",
      message: `Back-off pulling image "${image}": ErrImagePull: failed to pull and unpack image "docker.io/library/${image}": not found`,
    },
  },
});

export const crashLoop = (image: string, restarts: number): Obj => ({
  ready: false,
  started: false,
  restartCount: restarts,
  image: `docker.io/library/${image}`,
  imageID: `docker.io/library/${image.split(":")[0]}@sha256:${"cd".repeat(32)}`,
  state: { waiting: { reason: "CrashLoopBackOff", message: `back-off 1m20s restarting failed container` } },
  lastState: {
    terminated: { exitCode: 1, reason: "Error", startedAt: "2026-12-01T10:01:00Z", finishedAt: "2026-12-01T10:01:02Z" },
  },
});

export const oomKilled = (image: string, restarts: number): Obj => ({
  ready: false,
  started: false,
  restartCount: restarts,
  image: `docker.io/library/${image}`,
  imageID: `docker.io/library/${image.split(":")[0]}@sha256:${"ef".repeat(32)}`,
  state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 40s restarting failed container" } },
  lastState: {
    terminated: {
      exitCode: 137,
      reason: "OOMKilled",
      startedAt: "2026-12-01T10:01:00Z",
      finishedAt: "2026-12-01T10:01:05Z",
    },
  },
});

export function pod(shape: AppShape, index: number, container: Obj): Obj {
  const ready = container.ready === true;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `${shape.app}-${shape.hash}-${"abcdefghij"[index]}x${index}z`,
      namespace: NS,
      uid: `pod-${shape.app}-${shape.hash}-${index}`,
      labels: { ...labels(shape), "pod-template-hash": shape.hash },
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "ReplicaSet", name: `${shape.app}-${shape.hash}`, controller: true },
      ],
    },
    spec: { containers: [{ name: shape.app, image: shape.image }], nodeName: "node-1" },
    status: {
      phase: "Running",
      conditions: [
        { type: "Ready", status: ready ? "True" : "False" },
        { type: "ContainersReady", status: ready ? "True" : "False" },
      ],
      containerStatuses: [{ name: shape.app, ...container }],
      startTime: "2026-12-01T10:00:00Z",
    },
  };
}
