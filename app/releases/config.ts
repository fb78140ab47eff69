import {
  type GimletConfig,
  mergeGimletConfigs,
  parseConfigFile,
  parseGimletConfigYaml,
} from "../../shared/config/index.js";
import { ConfigError } from "../../shared/errors.js";
import type { Forge } from "../../shared/ports.js";

/** `.github/gimlet.yml` of the repository (or its owner's `.github` repository), validated. */
export async function loadGimletConfig(
  forge: Forge,
  repository: string,
  options: { requireOrgConfig?: boolean } = {},
): Promise<GimletConfig> {
  if (forge.readGimletConfigFiles) {
    // The organisation's file owns its environments; the repository's may add and narrow (DESIGN §7).
    const files = await forge.readGimletConfigFiles(repository);
    if (options.requireOrgConfig && !files.org) {
      // Fail closed: a missing (or unreadable: the app not installed on it) organisation file never means "anything goes".
      const owner = repository.split("/")[0];
      throw ConfigError.at(
        `${owner}/.github:.github/gimlet.yml`,
        "required (GIMLET_REQUIRE_ORG_CONFIG) but missing or not readable: install the app on the .github repository",
      );
    }
    if (files.org || files.repo) {
      const org = files.org ? parseConfigFile(files.org.text, files.org.source) : undefined;
      const repo = files.repo ? parseConfigFile(files.repo.text, files.repo.source, org) : undefined;
      return mergeGimletConfigs(org, repo);
    }
  }
  const found = forge.readGimletConfigFiles ? undefined : await forge.readGimletConfig(repository);
  if (!found) {
    const owner = repository.split("/")[0];
    throw ConfigError.at(
      ".github/gimlet.yml",
      `no Gimlet configuration in ${repository} or ${owner}/.github; add .github/gimlet.yml with your environments`,
    );
  }
  return parseGimletConfigYaml(found.text, found.source);
}
