import { ConfigError, inFile } from "../errors.js";
import { formatBytes } from "../manifest/yaml.js";
import type { RandomBytes } from "../ports.js";
import { zodProblems } from "../validation.js";
import { artifactId } from "./id.js";
import { type Artifact, artifactSchema } from "./schema.js";

export const MAX_ARTIFACT_BYTES = 1024 * 1024;

/** Validate an artifact value; every problem is reported at once as `path: message`. */
export function parseArtifact(value: unknown, source = "artifact"): Artifact {
  const result = artifactSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = zodProblems(result.error, value);
  throw ConfigError.of(source === "artifact" ? problems : inFile(source, problems));
}

/** Parse artifact JSON text: size limit first (cheap), then JSON, then the schema. */
export function parseArtifactJson(text: string, source = "artifact"): Artifact {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_ARTIFACT_BYTES) {
    throw ConfigError.at(source, `artifact is ${formatBytes(bytes)}; the limit is ${formatBytes(MAX_ARTIFACT_BYTES)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw ConfigError.at(source, `not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw ConfigError.at(source, "expected a JSON object");
  return parseArtifact(value, source);
}

/** The server owns `id` and `created`: whatever a client sent is replaced. */
export type StoredArtifact = Artifact & { id: string; created: string };

export function assignServerFields(artifact: Artifact, now: Date, random: RandomBytes): StoredArtifact {
  return {
    ...artifact,
    id: artifactId(artifact.version.repositoryName, now.getTime(), random, artifact.version.sha),
    created: now.toISOString(),
  };
}
