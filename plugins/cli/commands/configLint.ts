import { CONFIG_PATH, parseGimletConfigYaml } from "../../../shared/config/index.js";
import { ConfigError, type Problem } from "../../../shared/errors.js";
import { renderString } from "../../../shared/template/index.js";
import { type Command, EXIT, emit, outputOption } from "../command.js";
import { readText } from "../files.js";

export const configLint: Command = {
  path: ["config", "lint"],
  summary: "Check the environments configuration (.github/gimlet.yml)",
  usage: "config lint [-f FILE] [-o json]",
  description:
    "Validates the file the app reads from a repository's (or the organisation's .github repository's) default " +
    "branch: YAML, unknown keys, environment names, gitops repositories and paths. Every problem is listed as " +
    "file: path: message. Default file: .github/gimlet.yml.",
  options: {
    file: { type: "string", short: "f", description: "the configuration file", valueName: "FILE" },
    output: outputOption,
  },
  examples: ["gimlet config lint", "gimlet config lint -f gimlet.local.yml -o json"],
  async run(ctx) {
    // loaded when the command runs: the renderer validates objects with kubernetes-models, over half the CLI bundle
    const { placeholderVariables } = await import("../../../shared/release/index.js");
    const file = (ctx.options.file as string | undefined) ?? CONFIG_PATH;
    const config = parseGimletConfigYaml(readText(ctx.io.cwd, file), file);
    // An environment URL is a template: check its syntax and functions the way manifest lint checks manifests.
    const problems: Problem[] = [];
    for (const [env, location] of Object.entries(config.environments)) {
      if (location.url === undefined) continue;
      try {
        renderString(location.url, placeholderVariables({ APP: "app", ENV: env }), {
          file,
          path: `environments.${env}.url`,
        });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(...error.problems);
      }
    }
    if (problems.length) throw ConfigError.of(problems);
    const environments = Object.entries(config.environments).map(([env, location]) => ({
      env,
      repository: location.repository,
      branch: location.branch,
      path: location.path ?? env,
    }));
    emit(ctx, { valid: true, file, environments }, () =>
      environments
        .map((e) => `ok  ${file}  ${e.env} → ${e.repository}@${e.branch}:${e.path === "" ? "/" : e.path}\n`)
        .join(""),
    );
    return EXIT.ok;
  },
};
