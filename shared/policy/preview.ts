import type { Artifact } from "../artifact/schema.js";
import { ConfigError } from "../errors.js";
import type { Manifest } from "../manifest/schema.js";
import { hasTemplate } from "../template/index.js";
import { DNS_LABEL } from "../validation.js";

const MAX_LABEL = 63;

/** `<app>-pr-<N>`, cut so that it stays a DNS label. A templated app name is left to its template. */
export function previewAppName(app: string, prNumber: number): string {
  if (hasTemplate(app)) return app;
  const suffix = `-pr-${prNumber}`;
  return `${app.slice(0, MAX_LABEL - suffix.length).replace(/-+$/, "")}${suffix}`;
}

/** `shop.preview.acme.dev` → `shop-pr-42.preview.acme.dev`: the host's first label gets the same suffix as the app. */
export function previewHost(host: string, prNumber: number): string {
  if (hasTemplate(host)) return host;
  const dot = host.indexOf(".");
  const first = dot < 0 ? host : host.slice(0, dot);
  return `${previewAppName(first, prNumber)}${dot < 0 ? "" : host.slice(dot)}`;
}

/** The manifest a PR's preview is rendered from: app renamed, ingress hosts rewritten. */
export function previewManifest(manifest: Manifest, prNumber: number): Manifest {
  if (!manifest.preview) return manifest;
  const app = previewAppName(manifest.app, prNumber);
  if (!hasTemplate(app) && !DNS_LABEL.test(app))
    throw ConfigError.at("app", `preview app name ${app} is not a DNS label`);
  const values = manifest.values ? rewriteHosts(manifest.values, prNumber) : manifest.values;
  return { ...manifest, app, values };
}

/** The PR number when `artifact` runs `manifest` as a preview (a preview manifest, a PR artifact with its number). */
export function previewPrNumber(artifact: Artifact, manifest: Manifest): number | undefined {
  const { event, prNumber } = artifact.version;
  return manifest.preview && event === "pr" ? prNumber : undefined;
}

/** The manifest an artifact releases: its preview (`<app>-pr-<N>`, hosts rewritten) for a PR artifact, else itself. */
export function effectiveManifest(artifact: Artifact, manifest: Manifest): Manifest {
  const prNumber = previewPrNumber(artifact, manifest);
  return prNumber === undefined ? manifest : previewManifest(manifest, prNumber);
}

function rewriteHosts(values: Record<string, unknown>, prNumber: number): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  const rewriteIngress = (ingress: unknown): unknown => {
    if (!ingress || typeof ingress !== "object" || Array.isArray(ingress)) return ingress;
    const record = ingress as Record<string, unknown>;
    return typeof record.host === "string" ? { ...record, host: previewHost(record.host, prNumber) } : record;
  };
  if (out.ingress !== undefined) out.ingress = rewriteIngress(out.ingress);
  if (Array.isArray(out.ingresses)) out.ingresses = out.ingresses.map(rewriteIngress);
  return out;
}
