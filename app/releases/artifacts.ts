import { artifactIdSha, parseArtifact, type StoredArtifact } from "../../shared/artifact/index.js";
import { artifactsLocation, type GimletConfig } from "../../shared/config/index.js";
import { ConfigError, GimletError, NotFound } from "../../shared/errors.js";
import type { BranchCommit, BranchLocation, Forge } from "../../shared/ports.js";

/** `<owner>/<repo>/<sha>/<id>.json` on the artifacts branch (DESIGN §8). */
export function artifactPath(artifact: StoredArtifact): string {
  return `${artifact.version.repositoryName}/${artifact.version.sha}/${artifact.id}.json`;
}

export async function storeArtifactFile(forge: Forge, config: GimletConfig, artifact: StoredArtifact): Promise<void> {
  await forge.putBranchFile(
    artifactsLocation(config),
    artifactPath(artifact),
    `${JSON.stringify(artifact, null, 2)}\n`,
    artifactCommitMessage(artifact),
  );
}

/**
 * Every artifact file is its own commit on the artifacts branch; its message names the artifact, the commit it
 * was built from (so the file's path is known) and what a listing filters on (event, branch), as trailers. Listing
 * the newest artifacts then reads one page of the branch's history and only the files it returns. A value that
 * can't be one trailer line leaves the filter trailers out: a listing then reads that file to filter it.
 */
export function artifactCommitMessage(artifact: StoredArtifact): string {
  const { sha, event, branch } = artifact.version;
  const oneLine = (value: string) => value === value.trim() && !/[\r\n]/.test(value);
  const trailers = [`Gimlet-Artifact: ${artifact.id}`, `Gimlet-Commit: ${sha}`];
  if (oneLine(event ?? "push") && (!branch || oneLine(branch)))
    trailers.push(`Gimlet-Event: ${event ?? "push"}`, ...(branch ? [`Gimlet-Branch: ${branch}`] : []));
  return `[gimlet] artifact ${artifact.id} for ${sha.slice(0, 7)}\n\n${trailers.join("\n")}\n`;
}

/** What an artifacts-branch commit says about the artifact it stored, without reading the file. */
interface StoredCommit {
  id?: string;
  /** The file's path when the message (or the forge) gives it. */
  path?: string;
  /** Set when the message carries the filter trailers (written since they exist). */
  filters?: { event: string; branch?: string };
}

export function parseArtifactCommit(repository: string, commit: BranchCommit): StoredCommit {
  const trailer = (name: string) => new RegExp(`^${name}: (.+)$`, "m").exec(commit.message)?.[1];
  // messages written before the trailers: `[gimlet] artifact <id> for <sha7>`
  // only names that stay inside the repository's folder (a hand-written message can't point a listing elsewhere)
  const named = trailer("Gimlet-Artifact") ?? /^\[gimlet\] artifact (\S+) for /.exec(commit.message)?.[1];
  const id = named && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(named) ? named : undefined;
  const commitSha = trailer("Gimlet-Commit") ?? (id ? artifactIdSha(id) : undefined);
  const sha = commitSha && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commitSha) ? commitSha : undefined;
  const known = commit.paths?.find((p) => p.endsWith(".json"));
  const event = trailer("Gimlet-Event");
  const branch = trailer("Gimlet-Branch");
  return {
    ...(id ? { id } : {}),
    ...(known ? { path: known } : id && sha ? { path: `${repository}/${sha}/${id}.json` } : {}),
    ...(event ? { filters: { event, ...(branch ? { branch } : {}) } } : {}),
  };
}

function idOfPath(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1).replace(/\.json$/, "");
}

/**
 * The artifact stored at `path`; undefined when there is no file. A file that is not an artifact any more (edited
 * by hand, cut short) is a ConfigError naming the file, for that artifact only: never a 500.
 */
export async function readArtifactAt(
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

/** How many pages of the artifacts branch's history a filtered listing looks through (100 artifacts a page). */
export const LISTING_PAGES = 5;
/** Files a listing reads at least before giving up on a filter that matches none (limit × 5 when larger). */
const SHA_READS = 50;

/**
 * Newest first, in a number of GitHub calls that depends on `limit`, never on how many artifacts are stored:
 * - with a sha: one listing of that sha's folder (`<owner>/<repo>/<sha>/`, which holds that commit's artifacts
 *   only), then the newest files read `limit` at a time in parallel;
 * - without: the artifacts branch's commits that touched `<owner>/<repo>/`, newest first (one page of `limit` + a
 *   few, or of 100 when filtering), whose trailers name each file and its event and branch, so only the files
 *   that match are read, in parallel. A filter that matches little pages on, up to LISTING_PAGES pages.
 * The order is the commits' (the order the files were stored), then sorted by id (ULIDs: creation time). A
 * corrupt file is skipped and reported to `onCorrupt`, not a failed listing.
 */
export async function listArtifacts(
  forge: Forge,
  config: GimletConfig,
  query: ArtifactQuery,
  onCorrupt: (error: ConfigError) => void = () => undefined,
): Promise<StoredArtifact[]> {
  const location = artifactsLocation(config);
  const found: StoredArtifact[] = [];
  const matches = (artifact: { version: { branch?: string; event?: string } }) =>
    (!query.branch || artifact.version.branch === query.branch) &&
    (!query.event || (artifact.version.event ?? "push") === query.event);
  // Files whose commit says what they match are read only when they do; older ones are read to be filtered, up to this.
  let reads = Math.max(query.limit * 5, SHA_READS);
  /** Read `paths` `limit - found` at a time, in parallel, until `limit` match. */
  const readNewest = async (paths: string[]) => {
    for (let start = 0; start < paths.length && found.length < query.limit && reads > 0; ) {
      const chunk = paths.slice(start, start + Math.min(query.limit - found.length, reads));
      reads -= chunk.length;
      start += chunk.length;
      const read = await Promise.all(
        chunk.map((path) =>
          readArtifactAt(forge, location, path).catch((error: unknown) => {
            if (error instanceof ConfigError) return void onCorrupt(error);
            throw error;
          }),
        ),
      );
      for (const artifact of read)
        if (artifact && matches(artifact) && found.length < query.limit) found.push(artifact);
    }
  };
  const newestFirst = (a: string, b: string) => idOfPath(b).localeCompare(idOfPath(a));

  if (query.sha) {
    const folder = `${query.repository}/${query.sha}`;
    const paths = (await forge.listBranchFolder(location, folder)).filter((p) => p.endsWith(".json"));
    await readNewest(paths.sort(newestFirst));
    return found;
  }

  const filtered = Boolean(query.branch || query.event);
  const perPage = filtered ? 100 : Math.min(100, query.limit + 5);
  const seen = new Set<string>();
  let legacy: Map<string, string> | undefined;
  for (let page = 1; page <= LISTING_PAGES && found.length < query.limit && reads > 0; page++) {
    const commits = await forge.listBranchCommits(location, query.repository, { perPage, page });
    const paths: string[] = [];
    for (const commit of commits) {
      const stored = parseArtifactCommit(query.repository, commit);
      let path = stored.path;
      if (!path && stored.id) {
        // an id made before ids carried the sha, in a message without trailers: one listing, once
        legacy ??= new Map(
          (await forge.listBranchFiles(location, `${query.repository}/`)).map((p) => [idOfPath(p), p]),
        );
        path = legacy.get(stored.id);
      }
      if (!path?.endsWith(".json") || seen.has(path)) continue;
      seen.add(path);
      if (stored.filters && !matches({ version: stored.filters })) continue;
      paths.push(path);
    }
    await readNewest(paths);
    if (commits.length < perPage) break;
  }
  return found.sort((a, b) => b.id.localeCompare(a.id));
}
