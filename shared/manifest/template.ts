import { ConfigError, GimletError, type Problem } from "../errors.js";
import { renderString, renderTree, type TreePath, type WantedType } from "../template/index.js";
import { DNS_LABEL, dnsLabelMessage } from "../validation.js";
import type { Manifest } from "./schema.js";

export interface TemplateManifestOptions {
  file?: string;
  /** Which paths (from the manifest root, e.g. ["values", "replicas"]) want integers or booleans; the chart's schema knows. */
  typeAt?: (path: TreePath) => WantedType | undefined;
}

/**
 * Render every template of a manifest: app, namespace, values, raw manifests and patches. Templates work on string
 * values, never on YAML text, so a variable can't inject YAML. Problems of all fields are reported together.
 */
export function templateManifest(
  manifest: Manifest,
  vars: Readonly<Record<string, string>>,
  options: TemplateManifestOptions = {},
): Manifest {
  const problems: Problem[] = [];
  const ctx = (path: string) => ({ file: options.file, path });
  const attempt = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof GimletError)) throw error;
      problems.push(...error.problems);
      return fallback;
    }
  };
  const app = attempt(() => renderString(manifest.app, vars, ctx("app")), manifest.app);
  if (!problems.length && !DNS_LABEL.test(app))
    problems.push({
      path: options.file ? `${options.file}: app` : "app",
      message: `${JSON.stringify(app)} ${dnsLabelMessage}`,
    });
  const namespace =
    manifest.namespace === undefined
      ? undefined
      : attempt(() => renderString(manifest.namespace as string, vars, ctx("namespace")), manifest.namespace);
  const values =
    manifest.values === undefined
      ? undefined
      : attempt(
          () =>
            renderTree(manifest.values, vars, {
              file: options.file,
              path: "values",
              typeAt: (path) => options.typeAt?.(["values", ...path]),
            }) as Record<string, unknown>,
          manifest.values,
        );
  const manifests =
    manifest.manifests === undefined
      ? undefined
      : attempt(() => renderString(manifest.manifests as string, vars, ctx("manifests")), manifest.manifests);
  const strategicMergePatches =
    manifest.strategicMergePatches === undefined
      ? undefined
      : attempt(
          () => renderString(manifest.strategicMergePatches as string, vars, ctx("strategicMergePatches")),
          manifest.strategicMergePatches,
        );
  const json6902Patches =
    manifest.json6902Patches === undefined
      ? undefined
      : attempt(
          () =>
            renderTree(manifest.json6902Patches, vars, {
              file: options.file,
              path: "json6902Patches",
            }) as Manifest["json6902Patches"],
          manifest.json6902Patches,
        );
  if (problems.length) throw ConfigError.of(problems);
  const out: Manifest = { ...manifest, app };
  if (namespace !== undefined) out.namespace = namespace;
  if (values !== undefined) out.values = values;
  if (manifests !== undefined) out.manifests = manifests;
  if (strategicMergePatches !== undefined) out.strategicMergePatches = strategicMergePatches;
  if (json6902Patches !== undefined) out.json6902Patches = json6902Patches;
  return out;
}
