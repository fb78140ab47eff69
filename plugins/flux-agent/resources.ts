import {
  compactDeployment,
  compactKustomization,
  compactPod,
  compactReplicaSet,
  type RawObject,
  type Snap,
} from "./objects.js";
import type { SnapKind } from "./store.js";

/** One kind the agent lists and watches, cluster-wide. */
export interface WatchedResource {
  kind: SnapKind;
  path: string;
  labelSelector?: string;
  compact(raw: RawObject): Snap | undefined;
}

const GIMLET_WORKLOADS = "gimlet.io/app,gimlet.io/env";

/** Exactly what the RBAC in deploy/rbac.yaml grants: get/list/watch on these four, plus pods/log. */
export const watchedResources: readonly WatchedResource[] = [
  { kind: "Kustomization", path: "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations", compact: compactKustomization },
  {
    kind: "Deployment",
    path: "/apis/apps/v1/deployments",
    labelSelector: GIMLET_WORKLOADS,
    compact: compactDeployment,
  },
  {
    kind: "ReplicaSet",
    path: "/apis/apps/v1/replicasets",
    labelSelector: GIMLET_WORKLOADS,
    compact: compactReplicaSet,
  },
  { kind: "Pod", path: "/api/v1/pods", labelSelector: GIMLET_WORKLOADS, compact: compactPod },
];
