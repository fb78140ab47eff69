import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type Artifact, MAX_ARTIFACT_BYTES, parseArtifactJson } from "../../shared/artifact/index.js";
import { ConfigError } from "../../shared/errors.js";
import { formatBytes, type LoadedManifest, loadManifests, type ManifestSource } from "../../shared/manifest/index.js";

export function resolvePath(cwd: string, path: string): string {
  return resolve(cwd, path);
}

/** Read a text file, refusing files over `maxBytes` before reading them. */
export function readText(cwd: string, path: string, maxBytes = 8 * MAX_ARTIFACT_BYTES): string {
  const full = resolvePath(cwd, path);
  let size: number;
  try {
    const stat = statSync(full);
    if (stat.isDirectory()) throw ConfigError.at(path, "is a directory, expected a file");
    size = stat.size;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw ConfigError.at(path, "no such file");
  }
  if (size > maxBytes)
    throw ConfigError.at(path, `file is ${formatBytes(size)}; the limit is ${formatBytes(maxBytes)}`);
  return readFileSync(full, "utf8");
}

export function writeText(cwd: string, path: string, text: string): void {
  const full = resolvePath(cwd, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
}

export function readArtifactFile(cwd: string, path: string): Artifact {
  return parseArtifactJson(readText(cwd, path, MAX_ARTIFACT_BYTES + 1), path);
}

export function writeArtifactFile(cwd: string, path: string, artifact: unknown): void {
  writeText(cwd, path, `${JSON.stringify(artifact, null, 2)}\n`);
}

/** The `*.yaml` / `*.yml` files of a folder, sorted, as manifest sources. */
export function manifestSourcesInDir(cwd: string, dir: string): ManifestSource[] {
  const full = resolvePath(cwd, dir);
  if (!existsSync(full) || !statSync(full).isDirectory()) throw ConfigError.at(dir, "no such directory");
  return readdirSync(full)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ file: join(dir, name), text: readText(cwd, join(dir, name)) }));
}

export function loadManifestFiles(cwd: string, files: string[]): LoadedManifest[] {
  return loadManifests(files.map((file) => ({ file, text: readText(cwd, file) })));
}
