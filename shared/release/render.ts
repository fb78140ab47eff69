import type { Artifact } from "../artifact/schema.js";
import { templateVariables } from "../artifact/variables.js";
import { ConfigError, inFile } from "../errors.js";
import type { Manifest } from "../manifest/schema.js";
import { templateManifest } from "../manifest/template.js";
import { effectiveManifest } from "../policy/preview.js";
import {
  isOnechart,
  type K8sObject,
  onechartTypeAt,
  type RenderedFile,
  renderObjects,
  toRenderedFiles,
} from "../render/index.js";
import { hasTemplate, renderString } from "../template/index.js";

export interface RenderedRelease {
  env: string;
  app: string;
  /** The templated manifest the objects came from. */
  manifest: Manifest;
  objects: K8sObject[];
  files: RenderedFile[];
}

export { effectiveManifest };

/** The variables a manifest is templated with: the artifact's, then ENV and APP (the app name after its own template). */
export function releaseVariables(artifact: Artifact, manifest: Manifest, file?: string): Record<string, string> {
  const withEnv = templateVariables(artifact, { env: manifest.env });
  const app = hasTemplate(manifest.app) ? renderString(manifest.app, withEnv, { file, path: "app" }) : manifest.app;
  return { ...withEnv, APP: app };
}

/** Render the templated manifest's objects; problems in its values carry the file, like every other problem. */
export function renderObjectsOf(templated: Manifest, file?: string): K8sObject[] {
  try {
    return renderObjects(templated);
  } catch (error) {
    if (!file || !(error instanceof ConfigError)) throw error;
    throw ConfigError.of(
      error.problems.map((p) => (p.path === file || p.path.startsWith(`${file}:`) ? p : (inFile(file, [p])[0] ?? p))),
    );
  }
}

/** Artifact + manifest → the files of the app's gitops folder. Pure and deterministic. */
export function renderRelease(artifact: Artifact, original: Manifest, file?: string): RenderedRelease {
  const manifest = effectiveManifest(artifact, original);
  const vars = releaseVariables(artifact, manifest, file);
  const templated = templateManifest(manifest, vars, {
    file,
    typeAt: isOnechart(manifest.chart) ? onechartTypeAt : undefined,
  });
  const objects = renderObjectsOf(templated, file);
  return { env: templated.env, app: templated.app, manifest: templated, objects, files: toRenderedFiles(objects) };
}

/** Render with variables only (no artifact), e.g. `gimlet manifest template --vars .env`. */
export function renderWithVariables(
  manifest: Manifest,
  vars: Readonly<Record<string, string>>,
  file?: string,
): RenderedRelease {
  const withEnv = { ...vars, ENV: manifest.env };
  const app = hasTemplate(manifest.app) ? renderString(manifest.app, withEnv, { file, path: "app" }) : manifest.app;
  const templated = templateManifest(
    manifest,
    { ...withEnv, APP: app },
    { file, typeAt: isOnechart(manifest.chart) ? onechartTypeAt : undefined },
  );
  const objects = renderObjectsOf(templated, file);
  return { env: templated.env, app: templated.app, manifest: templated, objects, files: toRenderedFiles(objects) };
}
