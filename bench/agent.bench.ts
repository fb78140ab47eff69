// The flux agent's memory over a long watch: RSS after 10,000 watch events over 1,000 Deployments must stay within
// 1.2 × the RSS after the first 1,000 (the snapshots keep only what the decision reads; nothing grows per event).
import { type ChildProcess, fork } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { FakeKube } from "../test/helpers/fakeKube.js";
import { type AppShape, deployment, kustomization, pod, replicaSet, running } from "../test/helpers/k8sObjects.js";

const DEPLOYMENTS = Number(process.env.BENCH_AGENT_DEPLOYMENTS ?? 1000);
const EVENTS = Number(process.env.BENCH_AGENT_EVENTS ?? 10_000);
const rev = (n: number) => n.toString(16).padStart(40, "0");

interface Probe {
  events: number;
  rss: number;
  heapUsed: number;
  objects: number;
}

async function main(): Promise<void> {
  let posted = 0;
  const gimlet = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      posted++;
      res.writeHead(200).end("{}");
    });
  });
  await new Promise<void>((resolve) => gimlet.listen(0, "127.0.0.1", resolve));
  const kube = new FakeKube(2000);
  await kube.start();
  const shapes: AppShape[] = [];
  kube.put(kustomization("staging", rev(1)));
  for (let i = 0; i < DEPLOYMENTS; i++) {
    const shape: AppShape = {
      app: `app-${i}`,
      env: "staging",
      image: `nginx:1.${i}`,
      replicas: 2,
      hash: `h${i}x`,
      revision: 1,
      generation: 1,
    };
    shapes.push(shape);
    kube.put(deployment(shape));
    kube.put(replicaSet(shape));
    kube.put(pod(shape, 0, running(shape.image)));
    kube.put(pod(shape, 1, running(shape.image)));
  }
  const child: ChildProcess = fork(join(import.meta.dirname, "agentChild.ts"), [], {
    execArgv: ["--expose-gc", "--import", "tsx"],
    env: {
      ...process.env,
      KUBE_URL: kube.url,
      GIMLET_URL: `http://127.0.0.1:${(gimlet.address() as AddressInfo).port}`,
    },
  });
  const messages: Array<(m: Probe) => void> = [];
  child.on("message", (m: Probe & { ready?: boolean }) => {
    if (!m.ready) messages.shift()?.(m);
  });
  const probe = (events: number) =>
    new Promise<Probe>((resolve) => {
      messages.push(resolve);
      child.send({ events });
    });
  const started = performance.now();
  await probe(0); // listed, initial state posted
  const initialPosts = posted;
  // One watch event per step: Deployments go progressing and back to ready; every 1,000 events Flux applies a new
  // revision (the Kustomization), so every app is decided and posted again.
  let sent = 0;
  const step = (k: number) => {
    const shape = shapes[k % DEPLOYMENTS] as AppShape;
    if (k % 1000 === 999) kube.put(kustomization("staging", rev(2 + Math.floor(k / 1000))));
    else if (Math.floor(k / DEPLOYMENTS) % 2 === 0) kube.put(deployment(shape, { readyReplicas: 1 }));
    else kube.put(deployment(shape));
    sent++;
  };
  const burst = async (n: number) => {
    for (let i = 0; i < n; i++) {
      step(sent);
      if (i % 200 === 199) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await burst(1000);
  const first = await probe(1000);
  await burst(EVENTS - 1000);
  const last = await probe(EVENTS);
  child.kill();
  await kube.stop();
  gimlet.close();
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  const ratio = last.rss / first.rss;
  console.log("| benchmark | agent | floor | ratio | target |");
  console.log("|---|---:|---:|---:|---:|");
  console.log(
    `| agent RSS after ${EVENTS.toLocaleString("en")} watch events over ${DEPLOYMENTS.toLocaleString("en")} Deployments vs after the first 1,000 | ${mb(last.rss)} | ${mb(first.rss)} | ${ratio.toFixed(2)}${ratio <= 1.2 ? "" : " ✗"} | ≤ 1.2 |`,
  );
  console.log(
    `| reference: heap used after ${EVENTS.toLocaleString("en")} vs after 1,000 events | ${mb(last.heapUsed)} | ${mb(first.heapUsed)} | ${(last.heapUsed / first.heapUsed).toFixed(2)} | — |`,
  );
  console.log(
    `\n${last.objects} objects held as snapshots; ${initialPosts} events posted at start, ${posted} in all; ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  if (ratio > 1.2) process.exitCode = 1;
}

await main();
