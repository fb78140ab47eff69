import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "@jest/globals";
import { runAgent } from "../../plugins/flux-agent/runner.js";
import { FakeKube } from "../helpers/fakeKube.js";
import { tempDir } from "../helpers/gitRepos.js";
import { type AppShape, deployment, kustomization, pod, replicaSet, running } from "../helpers/k8sObjects.js";
import { AGENT_TOKEN, FakeGimlet, until } from "./agentHarness.js";

const REV = "9999999999999999999999999999999999999999";
const shape: AppShape = {
  app: "web",
  env: "staging",
  image: "nginx:1.27",
  replicas: 1,
  hash: "5c5c5c5c5",
  revision: 1,
  generation: 1,
};
let child: ChildProcess | undefined;
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  child?.kill("SIGTERM");
  child = undefined;
  for (const stop of stops.splice(0)) await stop();
});

/** The agent's real entry (run.ts → runner.ts), as its container runs it, with a kubeconfig file. */
function startAgentProcess(env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ["--import", "tsx", "plugins/flux-agent/run.ts"], {
    env: { PATH: process.env.PATH ?? "", HOME: tempDir("agent-home-"), ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  child = proc;
  return { child: proc, exited: new Promise((resolve) => proc.on("exit", resolve)) };
}

test("the agent's entry reads KUBECONFIG and its environment, and reports what it sees", async () => {
  const kube = new FakeKube();
  await kube.start();
  const gimlet = new FakeGimlet();
  await gimlet.start();
  stops.push(
    () => kube.stop(),
    () => gimlet.stop(),
  );
  kube.put(kustomization("staging", REV));
  kube.put(deployment(shape));
  kube.put(replicaSet(shape));
  kube.put(pod(shape, 0, running(shape.image)));
  const kubeconfig = join(tempDir("agent-kube-"), "config");
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: fake, cluster: {server: "${kube.url}", insecure-skip-tls-verify: true}}]
users: [{name: agent, user: {token: service-account-token}}]
contexts: [{name: fake, context: {cluster: fake, user: agent}}]
current-context: fake
`,
  );
  const agent = startAgentProcess({
    KUBECONFIG: kubeconfig,
    GIMLET_SERVER_URL: gimlet.url,
    GIMLET_AGENT_TOKEN: AGENT_TOKEN,
    GIMLET_GITOPS_REPOSITORY: "acme/gitops-staging",
    GIMLET_SETTLE_MS: "10",
    LOG_LEVEL: "warn",
  });
  await until(() => gimlet.received.length === 1);
  expect(gimlet.received[0]).toEqual({
    query: "/api/agent/events?repository=acme%2Fgitops-staging&branch=main",
    auth: `Bearer ${AGENT_TOKEN}`,
    event: { env: "staging", app: "web", gitopsRevision: REV, image: "nginx:1.27", ready: 1, desired: 1 },
  });
  agent.child.kill("SIGTERM");
  expect(await agent.exited).toBe(0);
});

test("a wrong environment stops it at start with path: message lines", async () => {
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stderr.write;
  try {
    await runAgent({ GIMLET_SERVER_URL: "https://gimlet.acme.dev", GIMLET_AGENT_TOKEN: "short" });
  } finally {
    process.stderr.write = write;
  }
  expect(process.exitCode).toBe(1);
  process.exitCode = 0;
  expect(written.join("")).toBe(
    [
      "gimlet-flux-agent could not start:",
      "GIMLET_AGENT_TOKEN: must be the agent token (at least 16 characters) from its Secret",
      "GIMLET_GITOPS_REPOSITORY: required",
      "",
    ].join("\n"),
  );
});
