import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "@jest/globals";
import { pino } from "pino";
import { signFluxPayload } from "../../app/auth/index.js";
import type { LocalForge } from "../../app/local/forge.js";
import { type LocalServer, startLocalServer } from "../../app/local/server.js";
import { LocalSweepSource } from "../../app/local/sweepSource.js";
import { sweepOverdue } from "../../app/releases/overdue.js";
import { type AgentRig, startAgentRig, until } from "../agent/agentHarness.js";
import { git, tempDir } from "../helpers/gitRepos.js";
import {
  type AppShape,
  crashLoop,
  deployment,
  kustomization,
  pod,
  replicaSet,
  running,
} from "../helpers/k8sObjects.js";

const MINUTE = 60_000;
let server: LocalServer | undefined;
let agent: AgentRig | undefined;
afterEach(async () => {
  await agent?.stop();
  await server?.close();
  agent = undefined;
  server = undefined;
});

const manifest = {
  app: "web",
  env: "staging",
  deploy: { event: "push", branch: "main" },
  values: { image: { repository: "nginx", tag: "{{ .SHA }}" }, replicas: 2 },
};

/** Local mode with agent health required, a clock the test moves, and a 10-minute deadline. */
async function start() {
  const root = tempDir("gimlet-ends-");
  const local = join(root, ".gimlet-local");
  const configFile = join(root, "gimlet.local.yml");
  writeFileSync(configFile, "environments:\n  staging: { repository: acme/gitops, path: staging }\n");
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  server = await startLocalServer({
    root: local,
    configFile,
    port: 0,
    host: "127.0.0.1",
    log: pino({ level: "silent" }),
    requireAgentHealth: true,
    releaseTimeoutMs: 10 * MINUTE,
    sweepIntervalMs: 60 * MINUTE,
    clock,
  });
  const s = server;
  const token = s.newToken as string;
  let lastShipped = "";
  const ship = async (sha: string) => {
    const response = await fetch(`${s.url}/api/artifacts`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ version: { repositoryName: "acme/web", sha, branch: "main" }, environments: [manifest] }),
    });
    expect(response.status).toBe(201);
    await Promise.all([...s.services.inflight]);
    const body = (await response.json()) as { id: string; decisions: Array<{ trackingId: string }> };
    lastShipped = body.id;
    return body.decisions[0]?.trackingId as string;
  };
  const track = async (id: string) =>
    (await (
      await fetch(`${s.url}/api/releases/track/${id}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { status: string; final: boolean; message: string };
  const tip = () => git(join(local, "gitops", "acme", "gitops.git"), ["rev-parse", "main"]);
  const flux = async (sha: string) => {
    const body = JSON.stringify({
      involvedObject: { kind: "Kustomization", name: "staging", namespace: "flux-system" },
      severity: "info",
      reason: "ReconciliationSucceeded",
      message: "Deployment/shop/web configured",
      metadata: { revision: `main@sha1:${sha}` },
    });
    const secret = readFileSync(join(local, "flux-secret"), "utf8").trim();
    const response = await fetch(`${s.url}/api/flux-events?repository=acme/gitops&env=staging`, {
      method: "POST",
      body,
      headers: { "x-signature": signFluxPayload(body, secret) },
    });
    expect(response.status).toBe(200);
  };
  const agentToken = readFileSync(join(local, "agent-token"), "utf8").trim();
  /** The real agent, watching a loopback Kubernetes API, posting to this server. */
  const startAgent = async (seed: Parameters<typeof startAgentRig>[1]) => {
    agent = await startAgentRig(undefined, seed, {
      url: s.url,
      token: agentToken,
    });
    return agent;
  };
  /** A manual release of an artifact already shipped: the same content again. */
  const release = async (artifactId: string) => {
    const response = await fetch(`${s.url}/api/releases`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ env: "staging", artifactId, repository: "acme/web" }),
    });
    expect(response.status).toBe(202);
    await Promise.all([...s.services.inflight]);
    return ((await response.json()) as { trackingId: string }).trackingId;
  };
  const lastArtifact = async () => lastShipped;
  const forge = s.services.deps.forge as LocalForge;
  return {
    s,
    ship,
    release,
    lastArtifact,
    track,
    tip,
    flux,
    startAgent,
    forge,
    advance: (ms: number) => (offset += ms),
  };
}

const shapeAt = (image: string): AppShape => ({
  app: "web",
  env: "staging",
  image,
  replicas: 2,
  hash: "6d4f8b7c9",
  revision: 1,
  generation: 1,
});

test("artifact → deploy → gitops commit → Flux event → agent event → deployment success", async () => {
  const t = await start();
  const id = await t.ship("5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d");
  const sha = t.tip();
  expect(await t.track(id)).toMatchObject({ status: "committed", final: false });
  await t.flux(sha);
  expect(await t.track(id)).toMatchObject({ status: "applied", final: false });
  const shape = shapeAt("nginx:5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d");
  const rig = await t.startAgent((kube) => {
    kube.put(kustomization("staging", sha));
    kube.put(deployment(shape));
    kube.put(replicaSet(shape));
    kube.put(pod(shape, 0, running(shape.image)));
    kube.put(pod(shape, 1, running(shape.image)));
  });
  for (;;) {
    const tracked = await t.track(id);
    if (tracked.final) break;
    await rig.agent.settled();
    await rig.poster.idle();
  }
  expect(await t.track(id)).toEqual(
    expect.objectContaining({
      status: "healthy",
      final: true,
      message: "Healthy: 2/2 ready (nginx:5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d)",
    }),
  );
  // The sweep, even long after, leaves a confirmed release alone.
  t.advance(30 * MINUTE);
  expect(await t.s.sweeper.sweep()).toEqual([]);
});

test("the failing variant ends in failure with the container's reason; a later healthy report still ends it healthy", async () => {
  const t = await start();
  const id = await t.ship("1111111111111111111111111111111111111111");
  const sha = t.tip();
  await t.flux(sha);
  const shape = shapeAt("nginx:1111111111111111111111111111111111111111");
  const rig = await t.startAgent((kube) => {
    kube.put(kustomization("staging", sha));
    kube.put(deployment(shape, { readyReplicas: 0, updatedReplicas: 2 }));
    kube.put(replicaSet(shape));
    kube.put(pod(shape, 0, crashLoop(shape.image, 6)));
  });
  await rig.agent.settled();
  await rig.poster.idle();
  const failed = await t.track(id);
  expect(failed).toMatchObject({
    status: "failed",
    message: expect.stringContaining("Rollout failed: CrashLoopBackOff"),
  });
  // Young failures are not final: the pod may recover (and Flux retries).
  expect(failed.final).toBe(false);
  rig.kube.put(deployment(shape));
  rig.kube.put(pod(shape, 0, running(shape.image)));
  rig.kube.put(pod(shape, 1, running(shape.image)));
  await until(() => rig.agent.store.size() > 0);
  for (;;) {
    if ((await t.track(id)).status === "healthy") break;
    await rig.agent.settled();
    await rig.poster.idle();
  }
  expect(await t.track(id)).toMatchObject({ status: "healthy", final: true });
});

test("the silent variant: neither Flux nor the agent confirms, and after the deadline the sweep ends it in error saying what was missing", async () => {
  const t = await start();
  const silent = await t.ship("2222222222222222222222222222222222222222");
  t.advance(9 * MINUTE);
  expect(await t.s.sweeper.sweep()).toEqual([]);
  expect(await t.track(silent)).toMatchObject({ status: "committed", final: false });
  t.advance(2 * MINUTE);
  const swept = await t.s.sweeper.sweep();
  expect(swept).toEqual([expect.objectContaining({ state: "error", reasonCode: "release_not_applied" })]);
  expect(await t.track(silent)).toMatchObject({
    status: "failed",
    final: true,
    message: `Not confirmed within 10m: Flux never reported applying ${t.tip().slice(0, 7)}; check its Provider and Alert for Gimlet`,
  });

  // Applied by Flux but no agent report: the message names the agent.
  const applied = await t.ship("3333333333333333333333333333333333333333");
  await t.flux(t.tip());
  t.advance(11 * MINUTE);
  await t.s.sweeper.sweep();
  expect(await t.track(applied)).toMatchObject({
    status: "failed",
    message: `Flux applied ${t.tip().slice(0, 7)}, but the cluster agent reported no rollout within 10m: is gimlet-flux-agent running there?`,
  });
});

test("a no-op re-deploy of content never confirmed is not healthy; it follows the release that committed the content", async () => {
  const t = await start();
  await t.ship("4444444444444444444444444444444444444444");
  const artifactId = await t.lastArtifact();
  const first = await t.release(artifactId); // by a person now: a new commit (release.json names them)
  const sha = t.tip();
  const again = await t.release(artifactId);
  expect(t.tip()).toBe(sha); // nothing new to commit
  expect(await t.track(again)).toMatchObject({
    status: "committed",
    final: false,
    message: expect.stringContaining("Same content as release acme/web#"),
  });
  // the re-deploy's deployment names the release it follows: the one that made the commit
  const made = await t.forge.listDeployments("acme/web", {});
  const leader = made.find((d) => d.payload.trackingId === first);
  expect(made.find((d) => d.payload.trackingId === again)?.payload.follows).toEqual({
    repository: "acme/web",
    id: leader?.id,
  });
  await t.flux(sha);
  const shape = shapeAt("nginx:4444444444444444444444444444444444444444");
  const rig = await t.startAgent((kube) => {
    kube.put(kustomization("staging", sha));
    kube.put(deployment(shape));
    kube.put(replicaSet(shape));
    kube.put(pod(shape, 0, running(shape.image)));
    kube.put(pod(shape, 1, running(shape.image)));
  });
  for (;;) {
    if ((await t.track(first)).status === "healthy") break;
    await rig.agent.settled();
    await rig.poster.idle();
  }
  // The next sweep carries the confirmation over to the re-deploy.
  expect(await t.s.sweeper.sweep()).toEqual([
    expect.objectContaining({ state: "success", reasonCode: "unchanged_confirmed" }),
  ]);
  expect(await t.track(again)).toMatchObject({ status: "healthy", final: true });
  // A re-deploy of content already confirmed is healthy at once.
  const third = await t.release(artifactId);
  expect(await t.track(third)).toMatchObject({ status: "healthy", final: true });
});

test("two replicas sweeping at once post once", async () => {
  const t = await start();
  const id = await t.ship("5555555555555555555555555555555555555555");
  t.advance(11 * MINUTE);
  const options = { timeoutMs: 10 * MINUTE, lookbackMs: 60 * MINUTE };
  const [a, b] = await Promise.all([
    sweepOverdue(t.s.services.deps, new LocalSweepSource(t.forge), options),
    sweepOverdue(t.s.services.deps, new LocalSweepSource(t.forge), options),
  ]);
  const swept = [...(a ?? []), ...(b ?? [])];
  expect(swept).toHaveLength(1);
  // commit first: the tracking id names the release, its deployment carries it
  const { repository, deploymentId } = swept[0]!;
  const deployment = await t.forge.getDeployment(repository, deploymentId);
  expect(deployment?.payload.trackingId).toBe(id);
  const errors = (await t.forge.listDeploymentStatuses(repository, deploymentId)).filter((s) => s.state === "error");
  expect(errors).toHaveLength(1);
  // And a later sweep leaves it alone.
  expect(await t.s.sweeper.sweep()).toEqual([]);
});
