import { ConfigError, type Problem } from "../errors.js";
import type { Manifest } from "../manifest/schema.js";
import { templateManifest } from "../manifest/template.js";
import { previewManifest } from "../policy/preview.js";
import { isOnechart, onechartTypeAt } from "../render/index.js";
import { hasTemplate, renderString } from "../template/index.js";
import { renderObjectsOf } from "./render.js";

/** Plausible values of the built-ins, so that functions and typed fields see what a real artifact would give them. */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  REPO: "acme/app",
  OWNER: "acme",
  BRANCH: "main",
  TAG: "v1.0.0",
  SHA: "0123456789abcdef0123456789abcdef01234567",
  ACTOR: "octocat",
  EVENT: "push",
  JOB: "build",
  PR_NUMBER: "1",
};

/**
 * Variables for a lint render: every name is defined, so a manifest is checked without an artifact. Unknown names
 * get "1", which is a valid string, integer, number, DNS label and host part alike, so a placeholder never invents
 * a problem that a real value would not have.
 */
export function placeholderVariables(known: Readonly<Record<string, string>>): Record<string, string> {
  const value = (name: string | symbol) =>
    typeof name === "string" ? (known[name] ?? PLACEHOLDERS[name] ?? "1") : undefined;
  return new Proxy({} as Record<string, string>, {
    get: (_target, name) => value(name),
    has: (_target, name) => typeof name === "string",
    getOwnPropertyDescriptor: (_target, name) =>
      typeof name === "string"
        ? { value: value(name), writable: false, enumerable: true, configurable: true }
        : undefined,
  });
}

/**
 * Everything rendering would refuse in a manifest, without an artifact: template syntax, unknown functions, value
 * types and keys of the chart, the Kubernetes schema of each object. A preview manifest is checked as a preview too.
 */
export function lintManifest(manifest: Manifest, file: string): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (found: Problem[]) => {
    for (const problem of found) {
      const key = `${problem.path}\0${problem.message}`;
      if (!seen.has(key)) problems.push(problem);
      seen.add(key);
    }
  };
  const variants = manifest.preview ? [manifest, previewManifest(manifest, 1)] : [manifest];
  for (const variant of variants) {
    const templateProblems = attempt(() => renderVariant(variant, file));
    add(templateProblems);
    // A broken template stops rendering before the values are checked: check them again with each broken template
    // replaced by a placeholder, so one lint run reports the template and the values problems together.
    if (templateProblems.length) add(attempt(() => renderVariant(withoutBrokenTemplates(variant), file)));
  }
  return problems;
}

function attempt(fn: () => void): Problem[] {
  try {
    fn();
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

function renderVariant(variant: Manifest, file: string): void {
  const withEnv = { ENV: variant.env };
  const app = hasTemplate(variant.app)
    ? renderString(variant.app, placeholderVariables(withEnv), { file, path: "app" })
    : variant.app;
  const templated = templateManifest(variant, placeholderVariables({ ...withEnv, APP: app }), {
    file,
    typeAt: isOnechart(variant.chart) ? onechartTypeAt : undefined,
  });
  renderObjectsOf(templated, file);
}

/** The manifest with every template that fails to render replaced by one that renders a placeholder. */
function withoutBrokenTemplates(manifest: Manifest): Manifest {
  const vars = placeholderVariables({ ENV: manifest.env, APP: "app" });
  const fix = (value: unknown): unknown => {
    if (typeof value === "string") {
      if (!hasTemplate(value)) return value;
      try {
        renderString(value, vars);
        return value;
      } catch {
        return '{{ "1" }}';
      }
    }
    if (Array.isArray(value)) return value.map(fix);
    if (value !== null && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fix(inner)]));
    return value;
  };
  const fixed = fix(manifest) as Manifest;
  // Raw YAML with a broken template can't be checked further; its template problem is already reported.
  if (fixed.manifests !== manifest.manifests) delete fixed.manifests;
  if (fixed.strategicMergePatches !== manifest.strategicMergePatches) delete fixed.strategicMergePatches;
  return fixed;
}
