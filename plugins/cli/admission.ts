import { type GimletConfig, parseGimletConfigYaml } from "../../shared/config/index.js";
import { ConfigError, type Problem } from "../../shared/errors.js";
import type { LoadedManifest } from "../../shared/manifest/index.js";
import { type RenderedRelease, renderWithVariables } from "../../shared/release/index.js";
import { ObjectsNotAllowed, objectProblems } from "../../shared/render/index.js";
import { readText } from "./files.js";

/** `--config`: the environments' rules (namespaces, clusterScoped) from a `.github/gimlet.yml`. */
export function readConfigOption(cwd: string, file: string | undefined): GimletConfig | undefined {
  return file === undefined ? undefined : parseGimletConfigYaml(readText(cwd, file), file);
}

/** Values for the built-in variables when linting without an artifact, so templates render. */
const LINT_VARIABLES: Record<string, string> = {
  REPO: "owner/repo",
  OWNER: "owner",
  BRANCH: "main",
  TAG: "v0.0.0",
  SHA: "0000000000000000000000000000000000000000",
  ACTOR: "gimlet",
  EVENT: "push",
  JOB: "lint",
  PR_NUMBER: "1",
};

/** Every rendered object the file's env refuses, as `file: Kind/name: message` (the app runs the same check). */
export function releaseProblems(config: GimletConfig, file: string, release: RenderedRelease): Problem[] {
  const env = config.environments[release.env];
  if (!env) return [{ path: `${file}: env`, message: `${release.env} is not configured in the --config file` }];
  return objectProblems(release.objects, env, release.env).map((p) => ({ ...p, path: `${file}: ${p.path}` }));
}

/** Render each manifest (built-ins stubbed, `vars` on top) and check its objects against its env's rules. */
export function lintAgainstConfig(
  config: GimletConfig,
  loaded: readonly LoadedManifest[],
  vars: Readonly<Record<string, string>>,
): void {
  const problems: Problem[] = [];
  for (const { file, manifest } of loaded) {
    try {
      problems.push(
        ...releaseProblems(config, file, renderWithVariables(manifest, { ...LINT_VARIABLES, ...vars }, file)),
      );
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length) throw ObjectsNotAllowed.of(problems);
}

/** Throw when a rendered release puts objects its env refuses. */
export function assertReleasesAllowed(
  config: GimletConfig,
  releases: ReadonlyArray<{ file: string; release: RenderedRelease }>,
): void {
  const problems = releases.flatMap(({ file, release }) => releaseProblems(config, file, release));
  if (problems.length) throw ObjectsNotAllowed.of(problems);
}
