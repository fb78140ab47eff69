import { artifactIdSha, parseArtifact, type StoredArtifact } from "../../shared/artifact/index.js";
import { artifactsLocation, type GimletConfig } from "../../shared/config/index.js";
import { ConfigError, GimletError, NotFound } from "../../shared/errors.js";
import type { BranchLocation, Forge } from "../../shared/ports.js";

/** `<owner>/<repo>/<sha>/<id>.json` on the artifacts branch (DESIGN §8). */
export function artifactPath(artifact: StoredArtifact): string {
  return `${artifact.version.repositoryName}/${artifact.version.sha}/${artifact.id}.json`;
}

export async function storeArtifactFile(forge: Forge, config: GimletConfig, artifact: StoredArtifact): Promise<void> {
  await forge.putBranchFile(
    artifactsLocation(config),
    artifactPath(artifact),
    `${JSON.stringify(artifact, null, 2)}\n`,
    `[gimlet] artifact ${artifact.id} for ${artifact.version.sha.slice(0, 7)}`,
  );
}

function idOfPath(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1).replace(/\.json$/, "");
}

/**
 * The artifact stored at `path`; undefined when there is no file. A file that is not an artifact any more (edited
 * by hand, cut short) is a ConfigError naming the file, for that artifact only: never a 500.
 */
async function readArtifactAt(
  forge: Forge,
  location: BranchLocation,
  path: string,
): Promise<StoredArtifact | undefined> {
  const text = await forge.getBranchFile(location, path);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `the stored artifact ${location.repository}@${location.branch}:${path} is not JSON (${(error as Error).message})`,
    );
  }
  let artifact: ReturnType<typeof parseArtifact>;
  try {
    artifact = parseArtifact(value);
  } catch (error) {
    if (!(error instanceof GimletError)) throw error;
    throw new ConfigError(
      `the stored artifact ${location.repository}@${location.branch}:${path} is not a valid artifact: ${error.message}`,
    );
  }
  return artifact.id && artifact.created ? (artifact as StoredArtifact) : undefined;
}

/**
 * An artifact by id; ids are unique per repository. Ids end with the commit sha (or the caller knows it: a check
 * run's head sha), so the path is known and it is one read, however many artifacts are stored. Ids made before they
 * carried the sha are found with one listing of the repository's artifacts.
 */
export async function findArtifact(
  forge: Forge,
  config: GimletConfig,
  repository: string,
  id: string,
  sha?: string,
): Promise<StoredArtifact> {
  const location = artifactsLocation(config);
  const commit = sha ?? artifactIdSha(id);
  let path: string | undefined = commit ? `${repository}/${commit}/${id}.json` : undefined;
  let artifact = path ? await readArtifactAt(forge, location, path) : undefined;
  if (!artifact && !artifactIdSha(id)) {
    const paths = await forge.listBranchFiles(location, `${repository}/`);
    path = paths.find((p) => idOfPath(p) === id);
    artifact = path ? await readArtifactAt(forge, location, path) : undefined;
  }
  if (!artifact) throw new NotFound(`no artifact ${id} in ${repository}`);
  return artifact;
}

export interface ArtifactQuery {
  repository: string;
  branch?: string;
  sha?: string;
  event?: string;
  limit: number;
}

/**
 * Newest first: ids are ULIDs, so sorting file names sorts by creation time, with nothing kept in memory. One listing
 * (of the sha's folder when the sha is given), then the newest files read `limit` at a time in parallel until
 * `limit` match. A corrupt file is skipped (and logged by the caller's error), not a failed listing.
 */
export async function listArtifacts(
  forge: Forge,
  config: GimletConfig,
  query: ArtifactQuery,
  onCorrupt: (error: ConfigError) => void = () => undefined,
): Promise<StoredArtifact[]> {
  const location = artifactsLocation(config);
  const prefix = query.sha ? `${query.repository}/${query.sha}/` : `${query.repository}/`;
  const paths = (await forge.listBranchFiles(location, prefix))
    .filter((p) => p.endsWith(".json"))
    .sort((a, b) => idOfPath(b).localeCompare(idOfPath(a)));
  const found: StoredArtifact[] = [];
  const maxReads = Math.max(query.limit * 5, 50);
  const chunk = Math.max(1, query.limit);
  for (let start = 0; start < Math.min(paths.length, maxReads) && found.length < query.limit; start += chunk) {
    const read = await Promise.all(
      paths.slice(start, Math.min(start + chunk, maxReads)).map((path) =>
        readArtifactAt(forge, location, path).catch((error: unknown) => {
          if (error instanceof ConfigError) return void onCorrupt(error);
          throw error;
        }),
      ),
    );
    for (const artifact of read) {
      if (!artifact) continue;
      if (query.branch && artifact.version.branch !== query.branch) continue;
      if (query.event && artifact.version.event !== query.event) continue;
      if (found.length < query.limit) found.push(artifact);
    }
  }
  return found;
}
