import { parseArtifact, type StoredArtifact } from "../../shared/artifact/index.js";
import { artifactsLocation, type GimletConfig } from "../../shared/config/index.js";
import { NotFound } from "../../shared/errors.js";
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

async function readArtifactAt(
  forge: Forge,
  location: BranchLocation,
  path: string,
): Promise<StoredArtifact | undefined> {
  const text = await forge.getBranchFile(location, path);
  if (text === undefined) return undefined;
  const artifact = parseArtifact(JSON.parse(text));
  return artifact.id && artifact.created ? (artifact as StoredArtifact) : undefined;
}

/** An artifact by id; ids are unique per repository. */
export async function findArtifact(
  forge: Forge,
  config: GimletConfig,
  repository: string,
  id: string,
): Promise<StoredArtifact> {
  const location = artifactsLocation(config);
  const paths = await forge.listBranchFiles(location, `${repository}/`);
  const path = paths.find((p) => idOfPath(p) === id);
  const artifact = path ? await readArtifactAt(forge, location, path) : undefined;
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

/** Newest first: ids are ULIDs, so sorting file names sorts by creation time, with nothing kept in memory. */
export async function listArtifacts(
  forge: Forge,
  config: GimletConfig,
  query: ArtifactQuery,
): Promise<StoredArtifact[]> {
  const location = artifactsLocation(config);
  const prefix = query.sha ? `${query.repository}/${query.sha}/` : `${query.repository}/`;
  const paths = (await forge.listBranchFiles(location, prefix))
    .filter((p) => p.endsWith(".json"))
    .sort((a, b) => idOfPath(b).localeCompare(idOfPath(a)));
  const found: StoredArtifact[] = [];
  const maxReads = Math.max(query.limit * 5, 50);
  for (const path of paths.slice(0, maxReads)) {
    const artifact = await readArtifactAt(forge, location, path);
    if (!artifact) continue;
    if (query.branch && artifact.version.branch !== query.branch) continue;
    if (query.event && artifact.version.event !== query.event) continue;
    found.push(artifact);
    if (found.length >= query.limit) break;
  }
  return found;
}
