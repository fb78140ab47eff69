import { expect, test } from "@jest/globals";
import { compactDeployment, compactPod, type Snap } from "../../plugins/flux-agent/objects.js";
import { ClusterStore } from "../../plugins/flux-agent/store.js";
import { type AppShape, deployment, pod, running } from "../helpers/k8sObjects.js";

// The small twin of bench/agent.bench.ts: what the agent holds depends on the objects, not on how many events came.
test("the store holds one compact snapshot per object however many events arrive, and forgets deleted apps", () => {
  const store = new ClusterStore();
  const shapes: AppShape[] = Array.from({ length: 20 }, (_, i) => ({
    app: `app-${i}`,
    env: "staging",
    image: `nginx:1.${i}`,
    replicas: 2,
    hash: `h${i}`,
    revision: 1,
    generation: 1,
  }));
  for (let event = 0; event < 2000; event++) {
    const shape = shapes[event % shapes.length] as AppShape;
    store.apply(compactDeployment(deployment(shape, { readyReplicas: event % 2 })) as Snap);
    store.apply(compactPod(pod(shape, 0, running(shape.image, event % 2 === 0))) as Snap);
  }
  expect(store.size()).toBe(40);
  expect(store.apps()).toHaveLength(20);
  const snap = compactDeployment(deployment(shapes[0] as AppShape)) as Snap;
  // Only what the decision reads: no managedFields, template, annotations or labels beyond the gimlet ones.
  expect(Object.keys(snap).sort()).toEqual(
    [
      "app",
      "desired",
      "env",
      "generation",
      "images",
      "key",
      "kind",
      "kustomization",
      "name",
      "namespace",
      "observedGeneration",
      "progressDeadlineSeconds",
      "progressing",
      "ready",
      "replicas",
      "revision",
      "uid",
      "updated",
    ].sort(),
  );
  for (const shape of shapes) {
    expect(store.apply(compactDeployment(deployment(shape)) as Snap, true)).toEqual([`staging/${shape.app}`]);
    store.remove("Pod", `${pod(shape, 0, {}).metadata.namespace}/${pod(shape, 0, {}).metadata.name}`);
  }
  expect(store.size()).toBe(0);
  expect(store.apps()).toEqual([]);
});
