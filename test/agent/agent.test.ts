import { afterEach, expect, test } from "@jest/globals";
import { parseAgentEnv } from "../../plugins/flux-agent/config.js";
import {
  type AppShape,
  crashLoop,
  deployment,
  imagePullBackOff,
  kustomization,
  oomKilled,
  pod,
  replicaSet,
  running,
} from "../helpers/k8sObjects.js";
import { AGENT_TOKEN, type AgentRig, startAgentRig, until } from "./agentHarness.js";

const REV1 = "1111111111111111111111111111111111111111";
const REV2 = "2222222222222222222222222222222222222222";
const v1: AppShape = {
  app: "web",
  env: "staging",
  image: "nginx:1.27",
  replicas: 2,
  hash: "6d4f8b7c9",
  revision: 1,
  generation: 1,
};
const v2: AppShape = { ...v1, image: "nginx:1.28", hash: "7f9c5d6b8", revision: 2, generation: 2 };

let rig: AgentRig | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

/** A cluster where v1 of web runs healthy at REV1. */
function seedHealthy(kube: AgentRig["kube"]): void {
  kube.put(kustomization("staging", REV1));
  kube.put(deployment(v1));
  kube.put(replicaSet(v1));
  kube.put(pod(v1, 0, running(v1.image)));
  kube.put(pod(v1, 1, running(v1.image)));
}

/** Flux applies REV2 (web's new image): the Kustomization moves, the Deployment's generation moves, the new RS appears. */
function applyV2(kube: AgentRig["kube"]): void {
  kube.put(kustomization("staging", REV2));
  kube.put(
    deployment(v2, {
      observedGeneration: 2,
      replicas: 3,
      updatedReplicas: 1,
      readyReplicas: 2,
      conditions: [{ type: "Progressing", status: "True", reason: "ReplicaSetUpdated" }],
    }),
  );
  kube.put(replicaSet(v2));
}

test("on start it sends the current state; a healthy rollout is sent once, with the revision Flux applied and the image", async () => {
  rig = await startAgentRig(undefined, seedHealthy);
  const r = rig;
  await until(() => r.gimlet.received.length === 1);
  expect(r.gimlet.received[0]).toEqual({
    query: "/api/agent/events?repository=acme%2Fgitops&branch=main",
    auth: `Bearer ${AGENT_TOKEN}`,
    event: { env: "staging", app: "web", gitopsRevision: REV1, image: "nginx:1.27", ready: 2, desired: 2 },
  });

  applyV2(r.kube);
  r.kube.put(pod(v2, 0, running(v2.image, false)));
  await r.agent.settled();
  r.kube.put(pod(v2, 0, running(v2.image, true)));
  r.kube.put(pod(v2, 1, running(v2.image, true)));
  r.kube.remove(pod(v1, 0, running(v1.image)));
  r.kube.remove(pod(v1, 1, running(v1.image)));
  await r.agent.settled();
  expect(r.gimlet.events()).toHaveLength(1); // the Deployment still counts an old replica: not done yet
  r.kube.put(deployment(v2));
  await until(() => r.gimlet.received.length === 2);
  await r.agent.settled();
  await r.poster.idle();
  expect(r.gimlet.events()).toEqual([
    { env: "staging", app: "web", gitopsRevision: REV1, image: "nginx:1.27", ready: 2, desired: 2 },
    { env: "staging", app: "web", gitopsRevision: REV2, image: "nginx:1.28", ready: 2, desired: 2 },
  ]);
});

test("a Deployment whose ready pods still run the old image is not healthy", async () => {
  rig = await startAgentRig(undefined, (kube) => {
    kube.put(kustomization("staging", REV2));
    kube.put(deployment(v2));
    kube.put(replicaSet(v2));
    kube.put(pod(v2, 0, running(v1.image)));
    kube.put(pod(v2, 1, running(v1.image)));
  });
  const r = rig;
  await r.agent.settled();
  expect(r.gimlet.events()).toEqual([]);
  r.kube.put(pod(v2, 0, running(v2.image)));
  r.kube.put(pod(v2, 1, running(v2.image)));
  await until(() => r.gimlet.received.length === 1);
  expect(r.gimlet.events()[0]).toMatchObject({ gitopsRevision: REV2, ready: 2, desired: 2 });
});

test("ImagePullBackOff is sent as a failure with the kubelet's message", async () => {
  rig = await startAgentRig(undefined, seedHealthy);
  const r = rig;
  await until(() => r.gimlet.received.length === 1);
  applyV2(r.kube);
  r.kube.put(pod(v2, 0, imagePullBackOff(v2.image)));
  await until(() => r.gimlet.received.length === 2);
  expect(r.gimlet.events()[1]).toEqual({
    env: "staging",
    app: "web",
    gitopsRevision: REV2,
    image: "nginx:1.28",
    ready: 2,
    desired: 2,
    reason: "ImagePullBackOff",
    message: `container web of pod ${pod(v2, 0, {}).metadata.name}: Back-off pulling image "nginx:1.28": ErrImagePull: failed to pull and unpack image "docker.io/library/nginx:1.28": not found`,
  });
  expect(r.kube.requests.some((q) => q.includes("/log"))).toBe(false);
});

test("CrashLoopBackOff is sent with the restart count and the last log lines of the previous run", async () => {
  rig = await startAgentRig(undefined, seedHealthy);
  const r = rig;
  await until(() => r.gimlet.received.length === 1);
  const crashing = pod(v2, 0, crashLoop(v2.image, 4));
  r.kube.logs.set(
    `shop/${crashing.metadata.name}/web`,
    [
      "booting",
      "reading config",
      "connecting to db:5432",
      "Error: connect ECONNREFUSED 10.0.0.7:5432",
      "    at TCPConnectWrap.afterConnect",
      "exiting with code 1",
    ].join("\n"),
  );
  applyV2(r.kube);
  r.kube.put(crashing);
  await until(() => r.gimlet.received.length === 2);
  expect(r.gimlet.events()[1]).toEqual({
    env: "staging",
    app: "web",
    gitopsRevision: REV2,
    image: "nginx:1.28",
    ready: 2,
    desired: 2,
    reason: "CrashLoopBackOff",
    message: [
      `container web of pod ${crashing.metadata.name} is crash-looping: restarted 4 times, last exit code 1`,
      "--- last log lines of web ---",
      "reading config",
      "connecting to db:5432",
      "Error: connect ECONNREFUSED 10.0.0.7:5432",
      "    at TCPConnectWrap.afterConnect",
      "exiting with code 1",
    ].join("\n"),
  });
  expect(r.kube.requests).toContain(
    `GET /api/v1/namespaces/shop/pods/${crashing.metadata.name}/log?container=web&tailLines=5&limitBytes=16384&previous=true`,
  );
  // The same failure again (another restart) is not sent twice.
  r.kube.put(pod(v2, 0, crashLoop(v2.image, 5)));
  await r.agent.settled();
  await r.poster.idle();
  expect(r.gimlet.events()).toHaveLength(2);
});

test("an OOM-killed container is sent as OOMKilled with its restart count", async () => {
  rig = await startAgentRig(undefined, seedHealthy);
  const r = rig;
  await until(() => r.gimlet.received.length === 1);
  const killed = pod(v2, 1, oomKilled(v2.image, 2));
  r.kube.logs.set(`shop/${killed.metadata.name}/web`, "loading cache\nallocating 512MiB");
  applyV2(r.kube);
  r.kube.put(killed);
  await until(() => r.gimlet.received.length === 2);
  expect(r.gimlet.events()[1]).toMatchObject({
    gitopsRevision: REV2,
    reason: "OOMKilled",
    message: `container web of pod ${killed.metadata.name} was killed for using more memory than its limit (restarted 2 times)\n--- last log lines of web ---\nloading cache\nallocating 512MiB`,
  });
});

test("a watch that expires (410 Gone) is listed again, and what changed meanwhile is sent", async () => {
  rig = await startAgentRig(undefined, seedHealthy);
  const r = rig;
  await until(() => r.gimlet.received.length === 1);
  await until(() => r.kube.watchCount("/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations") === 1);
  const lists = () =>
    r.kube.requests.filter((q) => q.startsWith("GET /apis/kustomize.toolkit.fluxcd.io/v1/kustomizations?limit")).length;
  expect(lists()).toBe(1);
  // Flux applied REV2 while the agent's watch fell behind: no event reaches it, only the 410.
  r.kube.putSilently(kustomization("staging", REV2));
  r.kube.expire("/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations");
  await until(() => lists() === 2);
  await until(() => r.gimlet.received.length === 2);
  expect(r.gimlet.events()[1]).toEqual({
    env: "staging",
    app: "web",
    gitopsRevision: REV2,
    image: "nginx:1.27",
    ready: 2,
    desired: 2,
  });
});

test("an API server that drops the connection: the agent reconnects, lists again and sends the current state again", async () => {
  rig = await startAgentRig(undefined, seedHealthy);
  const r = rig;
  await until(() => r.gimlet.received.length === 1);
  await until(() => r.kube.watchCount("/api/v1/pods") === 1 && r.kube.watchCount("/apis/apps/v1/deployments") === 1);
  r.kube.dropConnections();
  await until(() => r.gimlet.received.length >= 2);
  // And it is watching again (every kind listed again): a crash after the reconnect is seen.
  const paths = [
    "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations",
    "/apis/apps/v1/deployments",
    "/apis/apps/v1/replicasets",
    "/api/v1/pods",
  ];
  await until(() => paths.every((p) => r.kube.watchCount(p) === 1));
  await r.agent.settled();
  await r.poster.idle();
  const resent = r.gimlet.events().slice(1);
  // Each kind's re-list resends what it touched: the same state again, nothing else.
  expect(resent.length).toBeGreaterThanOrEqual(1);
  for (const event of resent) expect(event).toEqual(r.gimlet.events()[0]);
  applyV2(r.kube);
  r.kube.put(pod(v2, 0, crashLoop(v2.image, 3)));
  await until(() => r.gimlet.received.length === resent.length + 2);
  expect(r.gimlet.events().at(-1)).toMatchObject({ gitopsRevision: REV2, reason: "CrashLoopBackOff" });
});

test("while the app is down the event is retried with backoff and arrives once", async () => {
  rig = await startAgentRig(undefined, (kube) => seedHealthy(kube));
  const r = rig;
  r.gimlet.failNext = 3;
  await until(() => r.gimlet.received.length === 1);
  await r.poster.idle();
  expect(r.gimlet.refused).toBe(3);
  expect(r.gimlet.events()).toEqual([
    { env: "staging", app: "web", gitopsRevision: REV1, image: "nginx:1.27", ready: 2, desired: 2 },
  ]);
});

test("its configuration is validated with every problem as path: message", () => {
  expect(() => parseAgentEnv({ GIMLET_SERVER_URL: "gimlet", GIMLET_SETTLE_MS: "soon" })).toThrow(
    [
      "the agent's environment is invalid:",
      "GIMLET_SERVER_URL: must be the app's address, e.g. https://gimlet.example.com",
      "GIMLET_AGENT_TOKEN: required",
      "GIMLET_GITOPS_REPOSITORY: required",
      "GIMLET_SETTLE_MS: must be a whole number",
    ].join("\n"),
  );
  expect(
    parseAgentEnv({
      GIMLET_SERVER_URL: "https://gimlet.acme.dev",
      GIMLET_AGENT_TOKEN: AGENT_TOKEN,
      GIMLET_GITOPS_REPOSITORY: "acme/gitops-staging",
    }),
  ).toMatchObject({ GIMLET_GITOPS_BRANCH: "main", GIMLET_SETTLE_MS: 2000, GIMLET_LOG_LINES: 20 });
});
