import { ConfigError } from "../../../shared/errors.js";
import { type Command, EXIT, emit, outputOption } from "../command.js";
import { loadManifestFiles } from "../files.js";

export const manifestLint: Command = {
  path: ["manifest", "lint"],
  summary: "Validate environment manifests (.gimlet/*.yaml)",
  usage: "manifest lint -f FILE... [-o json]",
  description:
    "Checks YAML, unknown keys, the deploy and cleanup policies and names; every problem of every file is listed as path: message.",
  options: {
    file: { type: "string", short: "f", multiple: true, description: "a manifest file", valueName: "FILE" },
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
    const result = {
      valid: true,
      manifests: loaded.map(({ file, manifest }) => ({ file, env: manifest.env, app: manifest.app })),
    };
    emit(ctx, result, () => result.manifests.map((m) => `ok  ${m.file}  (${m.env}/${m.app})\n`).join(""));
    return EXIT.ok;
  },
};
