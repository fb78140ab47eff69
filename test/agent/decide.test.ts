import { expect, test } from "@jest/globals";
import { decideRollout, normalizeImage } from "../../plugins/flux-agent/decide.js";
import {
  compactDeployment,
  compactKustomization,
  compactPod,
  compactReplicaSet,
  revisionSha,
} from "../../plugins/flux-agent/objects.js";
import { type AppShape, deployment, kustomization, pod, replicaSet, running } from "../helpers/k8sObjects.js";

const REV = "3333333333333333333333333333333333333333";
const shape: AppShape = {
  app: "api",
  env: "production",
  image: "ghcr.io/acme/api:v2",
  replicas: 1,
  hash: "5b6c7d8e9",
  revision: 3,
  generation: 3,
};

function view(deploymentStatus: Record<string, unknown>, container: Record<string, unknown>) {
  return {
    env: "production",
    app: "api",
    deployments: [compactDeployment(deployment(shape, deploymentStatus)) ?? fail()],
    replicaSets: [compactReplicaSet(replicaSet(shape)) ?? fail()],
    pods: [compactPod(pod(shape, 0, container)) ?? fail()],
    kustomization: compactKustomization(kustomization("production", REV)),
  };
}
function fail(): never {
  throw new Error("not compacted");
}
const notReady = { observedGeneration: 3, replicas: 1, updatedReplicas: 1, readyReplicas: 0 };

test("a container that runs but never passes its readiness probe fails once the progress deadline has passed", () => {
  const v = view(notReady, running("ghcr.io/acme/api:v2", false, "2026-12-01T10:00:00Z"));
  expect(decideRollout(v, new Date("2026-12-01T10:09:00Z"))).toMatchObject({
    kind: "progressing",
    ready: 0,
    desired: 1,
  });
  expect(decideRollout(v, new Date("2026-12-01T10:10:01Z"))).toEqual({
    kind: "failed",
    gitopsRevision: REV,
    ready: 0,
    desired: 1,
    image: "ghcr.io/acme/api:v2",
    reason: "ReadinessProbeFailed",
    message: `container api of pod ${pod(shape, 0, {}).metadata.name} has been running for more than 600s without passing its readiness probe`,
    logs: { namespace: "shop", pod: pod(shape, 0, {}).metadata.name, container: "api", previous: false },
  });
});

test("ProgressDeadlineExceeded on the Deployment is a failure with the controller's message", () => {
  const v = view(
    {
      ...notReady,
      conditions: [
        {
          type: "Progressing",
          status: "False",
          reason: "ProgressDeadlineExceeded",
          message: 'ReplicaSet "api-5b6c7d8e9" has timed out progressing.',
        },
      ],
    },
    {
      ready: false,
      restartCount: 0,
      image: "ghcr.io/acme/api:v2",
      state: { waiting: { reason: "ContainerCreating" } },
    },
  );
  expect(decideRollout(v, new Date("2026-12-01T10:05:00Z"))).toMatchObject({
    kind: "failed",
    reason: "ProgressDeadlineExceeded",
    message: 'deployment api: ReplicaSet "api-5b6c7d8e9" has timed out progressing.',
  });
});

test("no decision without an applied revision; scaled to zero is healthy", () => {
  const v = view({}, running("ghcr.io/acme/api:v2"));
  expect(decideRollout({ ...v, kustomization: undefined }, new Date())).toEqual({
    kind: "unknown",
    why: "no Flux Kustomization with an applied revision",
  });
  const zero = compactDeployment(deployment({ ...shape, replicas: 0 })) ?? fail();
  expect(decideRollout({ ...v, deployments: [zero], pods: [] }, new Date())).toMatchObject({
    kind: "healthy",
    ready: 0,
    desired: 0,
  });
});

test("revisions and images are read the way Flux and the kubelet write them", () => {
  expect(revisionSha(`main@sha1:${REV}`)).toBe(REV);
  expect(revisionSha(`main/${REV}`)).toBe(REV);
  expect(revisionSha("v1.2.3@sha256:abc")).toBeUndefined();
  expect(normalizeImage("nginx:1.27")).toBe(normalizeImage("docker.io/library/nginx:1.27"));
  expect(normalizeImage("ghcr.io/acme/api")).toBe("ghcr.io/acme/api:latest");
});
