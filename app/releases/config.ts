import { type GimletConfig, parseGimletConfigYaml } from "../../shared/config/index.js";
import { ConfigError } from "../../shared/errors.js";
import type { Forge } from "../../shared/ports.js";

/** `.github/gimlet.yml` of the repository (or its owner's `.github` repository), validated. */
export async function loadGimletConfig(forge: Forge, repository: string): Promise<GimletConfig> {
  const found = await forge.readGimletConfig(repository);
  if (!found) {
    const owner = repository.split("/")[0];
    throw ConfigError.at(
      ".github/gimlet.yml",
      `no Gimlet configuration in ${repository} or ${owner}/.github; add .github/gimlet.yml with your environments`,
    );
  }
  return parseGimletConfigYaml(found.text, found.source);
}
