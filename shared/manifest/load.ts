import { ConfigError, inFile, type Problem } from "../errors.js";
import { zodProblems } from "../validation.js";
import { type Manifest, manifestSchema } from "./schema.js";
import { parseYamlDocuments } from "./yaml.js";

/** A manifest with the file it came from, for error messages and templating. */
export interface LoadedManifest {
  file: string;
  manifest: Manifest;
}

export interface ManifestSource {
  file: string;
  text: string;
}

/** Validate an already-parsed manifest value. */
export function parseManifest(value: unknown, file: string): Manifest {
  const result = manifestSchema.safeParse(value);
  if (result.success) return result.data;
  throw ConfigError.of(inFile(file, zodProblems(result.error, value)));
}

/**
 * Load every manifest of every source, reporting the problems of all files at once.
 * A file may hold several YAML documents; each must be a manifest.
 */
export function loadManifests(sources: ManifestSource[]): LoadedManifest[] {
  const loaded: LoadedManifest[] = [];
  const problems: Problem[] = [];
  for (const source of sources) {
    try {
      const documents = parseYamlDocuments(source.text, source.file);
      if (documents.length === 0) problems.push({ path: source.file, message: "no manifest in this file" });
      documents.forEach((document, index) => {
        const file = documents.length > 1 ? `${source.file}[${index}]` : source.file;
        try {
          loaded.push({ file, manifest: parseManifest(document, file) });
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          problems.push(...error.problems);
        }
      });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  problems.push(...duplicateProblems(loaded));
  if (problems.length) throw ConfigError.of(problems);
  return loaded;
}

function duplicateProblems(loaded: LoadedManifest[]): Problem[] {
  const seen = new Map<string, string>();
  const problems: Problem[] = [];
  for (const { file, manifest } of loaded) {
    const key = `${manifest.env}/${manifest.app}${manifest.preview ? " (preview)" : ""}`;
    const first = seen.get(key);
    if (first)
      problems.push({
        path: file,
        message: `${manifest.preview ? "preview " : ""}app ${manifest.app} in env ${manifest.env} is already defined in ${first}`,
      });
    else seen.set(key, file);
  }
  return problems;
}
