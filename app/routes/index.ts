import type { Route } from "../http/router.js";
import type { AppServices } from "../services.js";
import { deleteReleases } from "./deleteReleases.js";
import { getArtifacts } from "./getArtifacts.js";
import { getReleases } from "./getReleases.js";
import { getTrack } from "./getTrack.js";
import { healthz, metrics } from "./health.js";
import { postAgentEvents } from "./postAgentEvents.js";
import { postArtifacts } from "./postArtifacts.js";
import { postFluxEvents } from "./postFluxEvents.js";
import { postReleases } from "./postReleases.js";
import { postRollbacks } from "./postRollbacks.js";

/** The HTTP API of DESIGN §8, one route per file. */
export function apiRoutes(services: AppServices): Route[] {
  return [
    healthz(),
    metrics(services),
    postArtifacts(services),
    getArtifacts(services),
    postReleases(services),
    getTrack(services),
    getReleases(services),
    deleteReleases(services),
    postRollbacks(services),
    postFluxEvents(services),
    postAgentEvents(services),
  ];
}
