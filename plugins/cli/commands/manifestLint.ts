import { parseDotenv } from "../../../shared/artifact/index.js";
import { ConfigError } from "../../../shared/errors.js";
import { lintAgainstConfig, readConfigOption } from "../admission.js";
import { type Command, EXIT, emit, outputOption } from "../command.js";
import { loadManifestFiles, readText } from "../files.js";

export const manifestLint: Command = {
  path: ["manifest", "lint"],
  summary: "Validate environment manifests (.gimlet/*.yaml)",
  usage: "manifest lint -f FILE... [--config .github/gimlet.yml [--vars DOTENV]] [-o json]",
  description:
    "Checks YAML, unknown keys, the deploy and cleanup policies and names; every problem of every file is listed as path: message. " +
    "With --config, each manifest is also rendered (built-in variables stubbed, --vars on top) and its objects checked against its environment's namespaces and clusterScoped, as the app does.",
  options: {
    file: { type: "string", short: "f", multiple: true, description: "a manifest file", valueName: "FILE" },
    config: {
      type: "string",
      description: "a .github/gimlet.yml whose env rules the objects must keep",
      valueName: "FILE",
    },
    vars: {
      type: "string",
      description: "a dotenv file of variables for rendering (with --config)",
      valueName: "DOTENV",
    },
    output: outputOption,
  },
  positionals: true,
  examples: [
    "gimlet manifest lint -f .gimlet/staging.yaml -f .gimlet/production.yaml",
    "gimlet manifest lint .gimlet/*.yaml",
  ],
  async run(ctx) {
    const files = [...((ctx.options.file as string[] | undefined) ?? []), ...ctx.positionals];
    if (!files.length) throw ConfigError.at("--file", "required: at least one manifest file");
    const loaded = loadManifestFiles(ctx.io.cwd, files);
    const config = readConfigOption(ctx.io.cwd, ctx.options.config as string | undefined);
    const varsFile = ctx.options.vars as string | undefined;
    if (config)
      lintAgainstConfig(config, loaded, varsFile ? parseDotenv(readText(ctx.io.cwd, varsFile), varsFile) : {});
    const result = {
      valid: true,
      manifests: loaded.map(({ file, manifest }) => ({ file, env: manifest.env, app: manifest.app })),
    };
    emit(ctx, result, () => result.manifests.map((m) => `ok  ${m.file}  (${m.env}/${m.app})\n`).join(""));
    return EXIT.ok;
  },
};
