import { parseDotenv } from "../../../shared/artifact/index.js";
import { ConfigError, type Problem } from "../../../shared/errors.js";
import { parseYamlDocuments } from "../../../shared/manifest/index.js";
import { type Command, EXIT, emit, outputOption } from "../command.js";
import { loadManifestFiles, readText } from "../files.js";

const CONFIG_FILE = /(^|[\\/])(\.github[\\/]gimlet\.ya?ml|gimlet\.local\.ya?ml)$/;

/** A `.github/gimlet.yml` (by its name, or by its top-level `environments` without `app`) handed to manifest lint. */
function looksLikeConfig(file: string, text: string): boolean {
  if (CONFIG_FILE.test(file)) return true;
  try {
    const [first] = parseYamlDocuments(text, file);
    return first !== null && typeof first === "object" && "environments" in first && !("app" in first);
  } catch {
    return false; // YAML errors are reported by the manifest loader, with their line
  }
}

export const manifestLint: Command = {
  path: ["manifest", "lint"],
  summary: "Check environment manifests (.gimlet/*.yaml) for everything rendering would refuse",
  usage: "manifest lint -f FILE... [--config .github/gimlet.yml [--vars DOTENV]] [-o json]",
  description:
    "Checks YAML, unknown keys, the deploy and cleanup policies and names, then renders each manifest with placeholder " +
    "variables: template syntax and functions, chart value types and keys, and the Kubernetes schema of every object. " +
    "Every problem of every file is listed as file: path: message. For .github/gimlet.yml use `gimlet config lint`. " +
    "With --config, each manifest is also rendered with its built-in variables stubbed (--vars on top) and its objects " +
    "checked against its environment's namespaces and clusterScoped, as the app does.",
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
    // loaded when the command runs: the renderer validates objects with kubernetes-models, over half the CLI bundle
    const { lintManifest } = await import("../../../shared/release/index.js");
    const { lintAgainstConfig, readConfigOption } = await import("../admission.js");
    const files = [...((ctx.options.file as string[] | undefined) ?? []), ...ctx.positionals];
    if (!files.length) throw ConfigError.at("--file", "required: at least one manifest file");
    const configs = files.filter((file) => looksLikeConfig(file, readText(ctx.io.cwd, file)));
    if (configs.length)
      throw ConfigError.of(
        configs.map((file) => ({
          path: file,
          message: `this is the environments configuration (.github/gimlet.yml), not an environment manifest: check it with \`gimlet config lint -f ${file}\``,
        })),
      );
    const loaded = loadManifestFiles(ctx.io.cwd, files);
    const problems: Problem[] = loaded.flatMap(({ file, manifest }) => lintManifest(manifest, file));
    if (problems.length) throw ConfigError.of(problems);
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
