import type { GitopsWriter } from "../../shared/gitops/index.js";
import type { Clock, Forge, GitopsRemote, Logger, RandomBytes } from "../../shared/ports.js";
import type { Metrics } from "../metrics.js";
import type { DeployFirst } from "./deployFirst.js";
import type { DeploymentEnvironments } from "./environmentNames.js";

/** What the release service needs from the outside world; the same in GitHub mode and local mode. */
export interface ReleaseDeps {
  forge: Forge;
  remote: GitopsRemote;
  writer: GitopsWriter;
  clock: Clock;
  random: RandomBytes;
  log: Logger;
  metrics: Metrics;
  /** When true, a Flux "applied" event leaves the deployment in_progress until the cluster agent reports it healthy. */
  requireAgentHealth: boolean;
  /** How long a release may stay unconfirmed before the sweep turns it `error` (default 10 minutes). */
  releaseTimeoutMs?: number;
  /** GitHub environment names from the repository's default branch; without it, from the artifact's manifests. */
  environments?: DeploymentEnvironments;
  /** Holds artifact files and check runs back while releases are on their way to GitHub. */
  deployFirst?: DeployFirst;
}
