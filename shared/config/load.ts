import { ConfigError, inFile } from "../errors.js";
import { parseYamlDocuments } from "../manifest/yaml.js";
import { zodProblems } from "../validation.js";
import { type EnvironmentConfig, type GimletConfig, gimletConfigSchema } from "./schema.js";

export const CONFIG_PATH = ".github/gimlet.yml";

export function parseGimletConfig(value: unknown, file = CONFIG_PATH): GimletConfig {
  const result = gimletConfigSchema.safeParse(value);
  if (result.success) return result.data;
  throw ConfigError.of(inFile(file, zodProblems(result.error, value)));
}

export function parseGimletConfigYaml(text: string, file = CONFIG_PATH): GimletConfig {
  const documents = parseYamlDocuments(text, file);
  if (documents.length !== 1) throw ConfigError.at(file, "expected one YAML document");
  return parseGimletConfig(documents[0], file);
}

/** The env's gitops location with defaults applied. */
export function envLocation(config: GimletConfig, env: string): EnvironmentConfig & { path: string } {
  const found = config.environments[env];
  if (!found)
    throw ConfigError.at(
      "env",
      `unknown environment ${env}; configured: ${Object.keys(config.environments).join(", ")}`,
    );
  return { ...found, path: found.path ?? env };
}

export function artifactsLocation(config: GimletConfig): { repository: string; branch: string } {
  if (config.artifacts) return config.artifacts;
  const first = Object.values(config.environments)[0];
  if (!first) throw ConfigError.at("environments", "configure at least one environment");
  return { repository: first.repository, branch: "gimlet-artifacts" };
}
