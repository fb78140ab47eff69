import type { StoredArtifact } from "../../shared/artifact/index.js";
import { ConfigError, GimletError, type Problem } from "../../shared/errors.js";
import { checkRenderedFiles } from "../../shared/gitops/layout.js";
import { formatBytes } from "../../shared/manifest/yaml.js";
import { type RenderedRelease, renderRelease } from "../../shared/release/index.js";
import { DNS_LABEL, dnsLabelMessage } from "../../shared/validation.js";
import { HttpError } from "../http/errors.js";
import { type Limits, limitSettings } from "../limits.js";

// A Kubernetes kind is a CamelCase identifier; it names the rendered file (`<kind>.yaml`).
const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;
// An object name: a DNS subdomain (RFC 1123), as the API server requires of most kinds.
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function limitExceeded(problems: Problem[]): HttpError {
  const first = problems[0] as Problem;
  return new HttpError(
    400,
    "limit_exceeded",
    problems.length === 1 ? `${first.path}: ${first.message}` : `${problems.length} limits exceeded`,
    problems,
  );
}

/**
 * The up-front check of an artifact, before anything is done for it: the work it asks for fits the limits, and
 * every name that becomes a path in a gitops repository (env, app, object kind, object name, file name) is safe,
 * for every manifest that renders. A manifest that fails to render is left to the release step, which reports it
 * per manifest (`invalid_manifest`) as before; one that renders to something unsafe or too big refuses the whole
 * artifact, with `path: message` for every problem.
 */
export function checkArtifactWork(artifact: StoredArtifact, limits: Limits): void {
  const manifests = artifact.environments;
  const envs = new Set(manifests.map((m) => m.env));
  const over: Problem[] = [];
  if (manifests.length > limits.maxManifests)
    over.push({
      path: "environments",
      message: `${manifests.length} manifests; the limit is ${limits.maxManifests} (${limitSettings.maxManifests})`,
    });
  if (envs.size > limits.maxEnvironments)
    over.push({
      path: "environments",
      message: `${envs.size} environments; the limit is ${limits.maxEnvironments} (${limitSettings.maxEnvironments})`,
    });
  if (over.length) throw limitExceeded(over);

  const problems: Problem[] = [];
  manifests.forEach((manifest, i) => {
    const at = `environments[${i}]`;
    if (!DNS_LABEL.test(manifest.env)) problems.push({ path: `${at}.env`, message: dnsLabelMessage });
    let rendered: ReturnType<typeof renderRelease>;
    try {
      rendered = renderRelease(artifact, manifest);
    } catch (error) {
      if (error instanceof GimletError) return;
      throw error;
    }
    const found = renderedProblems(rendered, at, limits);
    problems.push(...found.problems);
    over.push(...found.over);
  });
  if (problems.length) throw ConfigError.of(problems);
  if (over.length) throw limitExceeded(over);
}

/** What is wrong with one rendered release: unsafe names (`problems`) and limits exceeded (`over`), under `at`. */
export function renderedProblems(
  rendered: RenderedRelease,
  at: string,
  limits: Limits,
): { problems: Problem[]; over: Problem[] } {
  const problems: Problem[] = [];
  const over: Problem[] = [];
  if (!DNS_LABEL.test(rendered.app))
    problems.push({ path: `${at}.app`, message: `${JSON.stringify(rendered.app)} ${dnsLabelMessage}` });
  rendered.objects.forEach((object, j) => {
    const kind: unknown = object.kind;
    const name: unknown = object.metadata?.name;
    const namespace: unknown = object.metadata?.namespace;
    if (typeof kind !== "string" || !KIND.test(kind))
      problems.push({
        path: `${at}.objects[${j}].kind`,
        message: `${JSON.stringify(kind)} is not a Kubernetes kind (letters and digits, starting with a letter)`,
      });
    if (typeof name !== "string" || !OBJECT_NAME.test(name))
      problems.push({
        path: `${at}.objects[${j}].metadata.name`,
        message: `${JSON.stringify(name)} must be a DNS subdomain: lowercase letters, digits, '-' and '.', at most 253 characters`,
      });
    if (namespace !== undefined && (typeof namespace !== "string" || !DNS_LABEL.test(namespace)))
      problems.push({
        path: `${at}.objects[${j}].metadata.namespace`,
        message: `${JSON.stringify(namespace)} ${dnsLabelMessage}`,
      });
  });
  try {
    checkRenderedFiles(rendered.files);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const p of error.problems) problems.push({ path: `${at}.${p.path}`, message: p.message });
  }
  if (rendered.objects.length > limits.maxRenderedObjects)
    over.push({
      path: at,
      message: `renders ${rendered.objects.length} objects; the limit is ${limits.maxRenderedObjects} (${limitSettings.maxRenderedObjects})`,
    });
  const bytes = rendered.files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0);
  if (bytes > limits.maxRenderedBytes)
    over.push({
      path: at,
      message: `renders ${formatBytes(bytes)}; the limit is ${formatBytes(limits.maxRenderedBytes)} (${limitSettings.maxRenderedBytes})`,
    });
  return { problems, over };
}

/**
 * The same check for releases about to start from a stored artifact (a manual release): an artifact stored
 * before these checks existed is refused here, before its deployment is created.
 */
export function checkRenderedReleases(releases: readonly RenderedRelease[], limits: Limits): void {
  const problems: Problem[] = [];
  const over: Problem[] = [];
  releases.forEach((rendered, i) => {
    const found = renderedProblems(rendered, `releases[${i}]`, limits);
    problems.push(...found.problems);
    over.push(...found.over);
  });
  if (problems.length) throw ConfigError.of(problems);
  if (over.length) throw limitExceeded(over);
}
