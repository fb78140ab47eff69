import type { Artifact } from "../artifact/schema.js";
import { ConfigError } from "../errors.js";
import type { Manifest } from "../manifest/schema.js";
import { previewPrNumber } from "../policy/preview.js";
import { hasTemplate } from "../template/index.js";
import { effectiveManifest, releaseVariables } from "./render.js";

/**
 * The manifests an explicit release of `env` (and `app`) renders. Regular manifests first; a PR artifact's previews
 * when no regular manifest is asked for or exists. `app` matches the app name after templating and preview renaming.
 */
export function selectManifests(artifact: Artifact, env: string, app?: string): Manifest[] {
  const inEnv = artifact.environments.filter((m) => m.env === env);
  if (!inEnv.length) {
    const known = [...new Set(artifact.environments.map((m) => m.env))];
    throw ConfigError.at(
      "--env",
      `the artifact has no manifest for env ${env}${known.length ? ` (it has: ${known.join(", ")})` : ""}`,
    );
  }
  const regular = inEnv.filter((m) => !m.preview);
  const previews = inEnv.filter((m) => previewPrNumber(artifact, m) !== undefined);
  const nameOf = (m: Manifest) => {
    const effective = effectiveManifest(artifact, m);
    return hasTemplate(effective.app) ? releaseVariables(artifact, effective).APP : effective.app;
  };
  if (app) {
    const matching = [...regular, ...previews].filter((m) => nameOf(m) === app);
    if (!matching.length) {
      const names = [...regular, ...previews].map(nameOf);
      throw ConfigError.at("--app", `no app ${app} in env ${env} (apps: ${names.join(", ") || "none"})`);
    }
    return matching;
  }
  const chosen = regular.length ? regular : previews;
  if (!chosen.length)
    throw ConfigError.at("--env", `env ${env} only has preview manifests, and this is not a PR artifact`);
  return chosen;
}
