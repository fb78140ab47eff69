import { setTimeout as sleep } from "node:timers/promises";
import { KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { formatProblems, problemsOf } from "../../shared/errors.js";
import { systemClock } from "../../shared/ports.js";
import { parseAgentEnv } from "./config.js";
import { kubeApi } from "./kube.js";
import { FluxAgent } from "./main.js";
import { EventPoster } from "./post.js";

/** Read the environment, build the Kubernetes client and the poster, run until SIGTERM. One top-level catch. */
export async function runAgent(env: Record<string, string | undefined> = process.env): Promise<void> {
  try {
    const config = parseAgentEnv(env);
    const log = pino({ level: config.LOG_LEVEL, base: { service: "gimlet-flux-agent" } });
    const kube = new KubeConfig();
    kube.loadFromDefault(); // KUBECONFIG, ~/.kube/config, else the pod's service account
    const poster = new EventPoster({
      serverUrl: config.GIMLET_SERVER_URL,
      token: config.GIMLET_AGENT_TOKEN,
      repository: config.GIMLET_GITOPS_REPOSITORY,
      branch: config.GIMLET_GITOPS_BRANCH,
      retryInitialMs: config.GIMLET_RETRY_INITIAL_MS,
      retryMaxMs: config.GIMLET_RETRY_MAX_MS,
      log,
      sleep: (ms) => sleep(ms),
    });
    const agent = new FluxAgent({
      api: kubeApi(kube),
      send: (event) => poster.send(event),
      clock: systemClock,
      log,
      sleep: (ms) => sleep(ms),
      settleMs: config.GIMLET_SETTLE_MS,
      logLines: config.GIMLET_LOG_LINES,
      retryInitialMs: config.GIMLET_RETRY_INITIAL_MS,
      retryMaxMs: config.GIMLET_RETRY_MAX_MS,
      watchTimeoutSeconds: config.GIMLET_WATCH_TIMEOUT_SECONDS,
    });
    agent.start();
    log.info(
      {
        server: config.GIMLET_SERVER_URL,
        gitops: config.GIMLET_GITOPS_REPOSITORY,
        cluster: kube.getCurrentCluster()?.server,
      },
      "gimlet flux agent watching",
    );
    const stop = () => {
      poster.stop();
      void agent.stop().then(() => process.exit(0));
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  } catch (error) {
    process.stderr.write(`gimlet-flux-agent could not start:\n${formatProblems(problemsOf(error))}\n`);
    process.exitCode = 1;
  }
}
