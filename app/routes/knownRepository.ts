import { HttpError } from "../http/errors.js";
import type { AppServices } from "../services.js";

/**
 * A signed event may still name any repository: one this server can't reach is a 404 before anything reads or
 * writes the work directory, so made-up names can't fill the disk with clones.
 */
export async function knownRepository(services: AppServices, repository: string): Promise<void> {
  const remote = services.deps.remote;
  if (!remote.exists || (await remote.exists(repository))) return;
  throw new HttpError(404, "not_found", `repository: ${repository} is not a gitops repository this server can reach`, [
    { path: "repository", message: "not a gitops repository this server can reach" },
  ]);
}
