import { existsSync } from "node:fs";
import { parseArtifact } from "../../../shared/artifact/index.js";
import { ConfigError, type Problem } from "../../../shared/errors.js";
import { loadManifests } from "../../../shared/manifest/index.js";
import { type Command, EXIT, emit, outputOption } from "../command.js";
import { manifestSourcesInDir, readArtifactFile, resolvePath, writeArtifactFile } from "../files.js";
import { appLabel } from "../table.js";

function pairs(values: unknown, flag: string, problems: Problem[]): Array<[string, string]> {
  const list = Array.isArray(values) ? (values as string[]) : [];
  const out: Array<[string, string]> = [];
  for (const entry of list) {
    const at = entry.indexOf("=");
    if (at <= 0) problems.push({ path: `--${flag}`, message: `expected KEY=VALUE, got ${JSON.stringify(entry)}` });
    else out.push([entry.slice(0, at), entry.slice(at + 1)]);
  }
  return out;
}

export const artifactAdd: Command = {
  path: ["artifact", "add"],
  summary: "Add variables, items and the app's environment manifests to an artifact file",
  usage: "artifact add -f FILE [--var K=V]... [--item name=url]... [--manifests DIR]",
  description:
    "Variables become template variables ({{ .K }}); items describe what was built (an image, a bundle), and each " +
    "item's url is a template variable named after it: --item image=ghcr.io/acme/shop:abc makes {{ .image }}. " +
    "The environment manifests of DIR (default .gimlet) replace the artifact's, so running it twice is harmless.",
  options: {
    file: { type: "string", short: "f", description: "the artifact file to update", valueName: "FILE" },
    var: { type: "string", multiple: true, description: "a template variable", valueName: "K=V" },
    item: {
      type: "string",
      multiple: true,
      description: "a built item, e.g. image=ghcr.io/acme/shop:abc",
      valueName: "name=url",
    },
    manifests: { type: "string", description: "folder of environment manifests (default .gimlet)", valueName: "DIR" },
    output: outputOption,
  },
  examples: ["gimlet artifact add -f artifact.json --var IMAGE_TAG=abc123 --item image=ghcr.io/acme/shop:abc123"],
  async run(ctx) {
    const { options, io } = ctx;
    const file = options.file as string | undefined;
    if (!file) throw ConfigError.at("--file", "required: the artifact file (-f artifact.json)");
    const artifact = readArtifactFile(io.cwd, file);
    const problems: Problem[] = [];
    const vars = Object.fromEntries(pairs(options.var, "var", problems));
    const items = pairs(options.item, "item", problems).map(([name, url]) => ({ name, url }));
    if (problems.length) throw ConfigError.of(problems);

    const explicitDir = options.manifests as string | undefined;
    const dir = explicitDir ?? ".gimlet";
    let environments = artifact.environments;
    if (explicitDir || existsSync(resolvePath(io.cwd, dir))) {
      environments = loadManifests(manifestSourcesInDir(io.cwd, dir)).map((loaded) => loaded.manifest);
    } else {
      io.stderr(`no ${dir} folder here; environments left as they were\n`);
    }
    const updated = parseArtifact({
      ...artifact,
      vars: { ...artifact.vars, ...vars },
      items: [...artifact.items, ...items],
      environments,
    });
    writeArtifactFile(io.cwd, file, updated);
    const summary = {
      file,
      vars: Object.keys(updated.vars).length,
      items: updated.items.length,
      environments: updated.environments.map((m) => `${m.env}/${appLabel(m.app, m.preview)}`),
    };
    emit(
      ctx,
      summary,
      () =>
        `${file}: ${summary.vars} vars, ${summary.items} items, environments: ${summary.environments.join(", ") || "none"}\n`,
    );
    return EXIT.ok;
  },
};
