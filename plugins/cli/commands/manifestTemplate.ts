import { join } from "node:path";
import { dump } from "js-yaml";
import { type Artifact, parseDotenv } from "../../../shared/artifact/index.js";
import { ConfigError, type Problem } from "../../../shared/errors.js";
import type { RenderedRelease } from "../../../shared/release/index.js";
import { type Command, EXIT } from "../command.js";
import { loadManifestFiles, readArtifactFile, readText, writeText } from "../files.js";

export const manifestTemplate: Command = {
  path: ["manifest", "template"],
  summary: "Render an environment manifest to Kubernetes YAML",
  usage: "manifest template -f FILE... [--artifact FILE] [--vars DOTENV] [--config .github/gimlet.yml] [-o DIR|-|json]",
  description:
    "Several -f render every manifest, in order. Variables come from the artifact (its context, items, vars and built-ins) and from a dotenv file (--vars wins). " +
    "With -o DIR the app's files are written to DIR/<app>/; with - (the default) every object is printed as one multi-document YAML stream.",
  options: {
    file: { type: "string", short: "f", multiple: true, description: "a manifest file", valueName: "FILE" },
    artifact: { type: "string", short: "a", description: "an artifact file for the variables", valueName: "FILE" },
    vars: { type: "string", description: "a dotenv file of variables", valueName: "DOTENV" },
    config: {
      type: "string",
      description: "a .github/gimlet.yml: refuse objects outside the env's namespaces and clusterScoped",
      valueName: "FILE",
    },
    output: {
      type: "string",
      short: "o",
      description: "a folder, - for a YAML stream on stdout, or json",
      valueName: "DIR|-|json",
    },
  },
  examples: [
    "gimlet manifest template -f .gimlet/staging.yaml --artifact artifact.json",
    "gimlet manifest template -f .gimlet/staging.yaml --vars ci.env -o rendered/",
  ],
  async run(ctx) {
    // loaded when the command runs: the renderer validates objects with kubernetes-models, over half the CLI bundle
    const { renderRelease, renderWithVariables } = await import("../../../shared/release/index.js");
    const { assertReleasesAllowed, readConfigOption } = await import("../admission.js");
    const files = (ctx.options.file as string[] | undefined) ?? [];
    if (!files.length) throw ConfigError.at("--file", "required: the manifest file");
    const loaded = loadManifestFiles(ctx.io.cwd, files);
    const artifactFile = ctx.options.artifact as string | undefined;
    const varsFile = ctx.options.vars as string | undefined;
    const artifact: Artifact | undefined = artifactFile ? readArtifactFile(ctx.io.cwd, artifactFile) : undefined;
    const extraVars = varsFile ? parseDotenv(readText(ctx.io.cwd, varsFile), varsFile) : {};
    // Every file is rendered, and the problems of all of them reported together.
    const problems: Problem[] = [];
    const rendered = loaded.flatMap(({ manifest, file: source }) => {
      try {
        return [
          {
            file: source,
            release: artifact
              ? renderRelease({ ...artifact, vars: { ...artifact.vars, ...extraVars } }, manifest, source)
              : renderWithVariables(manifest, extraVars, source),
          },
        ];
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(...error.problems);
        return [];
      }
    });
    if (problems.length) throw ConfigError.of(problems);
    const config = readConfigOption(ctx.io.cwd, ctx.options.config as string | undefined);
    if (config) assertReleasesAllowed(config, rendered);
    const releases: RenderedRelease[] = rendered.map((r) => r.release);
    const output = (ctx.options.output as string | undefined) ?? "-";
    if (output === "json") {
      ctx.io.stdout(
        `${JSON.stringify(
          releases.flatMap((r) => r.objects),
          null,
          2,
        )}\n`,
      );
    } else if (output === "-") {
      ctx.io.stdout(
        releases
          .flatMap((r) => r.objects)
          .map((o) => `---\n${dump(o, { lineWidth: -1, noRefs: true })}`)
          .join(""),
      );
    } else {
      for (const release of releases) {
        for (const rendered of release.files)
          writeText(ctx.io.cwd, join(output, release.app, rendered.path), rendered.content);
        ctx.io.stderr(
          `${release.env}/${release.app}: ${release.files.map((f) => join(output, release.app, f.path)).join(", ")}\n`,
        );
      }
    }
    return EXIT.ok;
  },
};
