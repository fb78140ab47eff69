import { artifactIdTime, type StoredArtifact } from "../../shared/artifact/index.js";
import type { GimletConfig } from "../../shared/config/index.js";
import { NotFound, Transient } from "../../shared/errors.js";
import type { Clock, Forge } from "../../shared/ports.js";
import { findArtifact } from "./artifacts.js";

/**
 * How long after its id was minted an artifact may still be on its way to GitHub. Commit first: `POST
 * /api/artifacts` answers before the artifact file is written, and that write waits behind the deploy path's writes
 * at one a second per installation, so a burst of deploys delays it by minutes, not hours.
 */
export const ARTIFACT_STORE_WINDOW_MS = 15 * 60_000;
/** What a client is told to wait before asking again. */
export const ARTIFACT_RETRY_AFTER_SECONDS = 1;

/** 503 with `Retry-After`: the id is young and its file not written yet; asking again later finds it. */
export class ArtifactNotStoredYet extends Transient {
  readonly reasonCode = "artifact_not_stored_yet";
  readonly retryAfterSeconds = ARTIFACT_RETRY_AFTER_SECONDS;
}

/**
 * An artifact by id for a release asked for on any replica. The id carries its creation time (a ULID), so a
 * missing file of an id minted in the last ARTIFACT_STORE_WINDOW_MS (either way: replicas' clocks differ) is
 * "not stored yet", which a client retries, and never a false 404; an older id that is missing stays a 404. Costs
 * nothing more than the lookup: one read.
 */
export async function findReleasableArtifact(
  forge: Forge,
  config: GimletConfig,
  clock: Clock,
  repository: string,
  id: string,
): Promise<StoredArtifact> {
  try {
    return await findArtifact(forge, config, repository, id);
  } catch (error) {
    if (!(error instanceof NotFound) || !isYoung(clock, id)) throw error;
    throw notStoredYet(clock, id);
  }
}

/** Waits between looks for an artifact a webhook names before its file is stored (a few seconds in all). */
export const STORED_ARTIFACT_WAITS_MS = [250, 500, 1000, 2000];

/**
 * For a webhook (a button pressed on the check run of an artifact whose file is written beside that check run): look
 * again a few times, backing off, while the id is young and its file missing; then ArtifactNotStoredYet. At most
 * 1 + STORED_ARTIFACT_WAITS_MS.length reads.
 */
export async function awaitStoredArtifact(
  forge: Forge,
  config: GimletConfig,
  clock: Clock,
  repository: string,
  id: string,
  sha?: string,
  waits: readonly number[] = STORED_ARTIFACT_WAITS_MS,
): Promise<StoredArtifact> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await findArtifact(forge, config, repository, id, sha);
    } catch (error) {
      const wait = waits[attempt];
      if (!(error instanceof NotFound) || !isYoung(clock, id)) throw error;
      if (wait === undefined) throw notStoredYet(clock, id);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

function isYoung(clock: Clock, id: string): boolean {
  const minted = artifactIdTime(id);
  return minted !== undefined && Math.abs(clock.now().getTime() - minted) <= ARTIFACT_STORE_WINDOW_MS;
}

function notStoredYet(clock: Clock, id: string): ArtifactNotStoredYet {
  const age = Math.max(0, Math.round((clock.now().getTime() - (artifactIdTime(id) ?? 0)) / 1000));
  return new ArtifactNotStoredYet(
    `artifact ${id} was accepted ${age} s ago and is not stored on GitHub yet (its file is written after the deploys ahead of it); ask again in ${ARTIFACT_RETRY_AFTER_SECONDS} s`,
  );
}
