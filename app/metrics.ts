import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** The Prometheus metrics of DESIGN §8 / issue 4, on their own registry (tests create as many as they like). */
export class Metrics {
  readonly registry = new Registry();
  readonly webhooks = new Counter({
    name: "gimlet_webhooks_received_total",
    help: "Webhook deliveries received, by event",
    labelNames: ["event"],
    registers: [this.registry],
  });
  readonly artifacts = new Counter({
    name: "gimlet_artifacts_accepted_total",
    help: "Artifacts accepted",
    registers: [this.registry],
  });
  readonly releases = new Counter({
    name: "gimlet_releases_total",
    help: "Releases by trigger and outcome",
    labelNames: ["trigger", "outcome"],
    registers: [this.registry],
  });
  readonly pushRetries = new Counter({
    name: "gimlet_gitops_push_retries_total",
    help: "Gitops pushes rejected because the branch moved, then retried",
    registers: [this.registry],
  });
  readonly deployLatency = new Histogram({
    name: "gimlet_deploy_latency_seconds",
    help: "From accepting a release to its gitops commit being pushed",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  readonly httpRequests = new Histogram({
    name: "gimlet_http_request_duration_seconds",
    help: "HTTP API requests by route and status",
    labelNames: ["route", "status"],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
