import { ConfigError } from "../errors.js";
import type { Chart } from "../manifest/schema.js";
import { objectMeta, type RenderContext } from "./names.js";
import type { K8sObject } from "./types.js";

// Any chart other than onechart is not rendered here: it becomes a Flux HelmRelease with the values inline and
// helm-controller renders it in the cluster. The source objects are per app (named after it) so two apps using
// one repository never share, and deleting an app's folder removes its source too.

export const HELM_RELEASE_INTERVAL = "1m";
export const SOURCE_INTERVAL = "10m";
const HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** No chart, or a chart named `onechart` (any version, any repository), is rendered by the built-in onechart renderer. */
export function isOnechart(chart: Chart | undefined): boolean {
  return chart === undefined || chart.name === "onechart";
}

export function renderHelmRelease(
  chart: Chart,
  values: Record<string, unknown> | undefined,
  ctx: RenderContext,
): K8sObject[] {
  const repository = chart.repository.replace(/\/+$/, "");
  const inlineValues = values && Object.keys(values).length > 0 ? values : undefined;
  if (repository.startsWith("oci://")) return ociRelease(chart, repository, inlineValues, ctx);
  if (/^https?:\/\//.test(repository)) return httpsRelease(chart, repository, inlineValues, ctx);
  throw ConfigError.at(
    "chart.repository",
    `"${chart.repository}" must be an https:// Helm repository or an oci:// registry`,
  );
}

/** The HelmRelease of an app, its chart given either as `chart` (a Helm repository) or `chartRef` (an OCI source). */
function helmRelease(
  ctx: RenderContext,
  chart: { chart: Record<string, unknown> } | { chartRef: Record<string, unknown> },
  values: Record<string, unknown> | undefined,
): K8sObject {
  return {
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    metadata: objectMeta(ctx, ctx.name),
    spec: { interval: HELM_RELEASE_INTERVAL, releaseName: ctx.name, ...chart, values },
  };
}

function httpsRelease(
  chart: Chart,
  url: string,
  values: Record<string, unknown> | undefined,
  ctx: RenderContext,
): K8sObject[] {
  const source: K8sObject = {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "HelmRepository",
    metadata: objectMeta(ctx, ctx.name),
    spec: { interval: SOURCE_INTERVAL, url },
  };
  const chartSpec = {
    spec: {
      chart: chart.name,
      version: chart.version,
      sourceRef: { kind: "HelmRepository", name: ctx.name },
      interval: SOURCE_INTERVAL,
    },
  };
  return [helmRelease(ctx, { chart: chartSpec }, values), source];
}

function ociRelease(
  chart: Chart,
  registry: string,
  values: Record<string, unknown> | undefined,
  ctx: RenderContext,
): K8sObject[] {
  // An exact version is an OCI tag; a range (`2.x`, `^2.1`) is resolved by source-controller; none means the newest.
  const ref =
    chart.version === undefined
      ? { semver: "*" }
      : EXACT_VERSION.test(chart.version)
        ? { tag: chart.version }
        : { semver: chart.version };
  const source: K8sObject = {
    apiVersion: "source.toolkit.fluxcd.io/v1beta2",
    kind: "OCIRepository",
    metadata: objectMeta(ctx, ctx.name),
    spec: {
      interval: SOURCE_INTERVAL,
      url: `${registry}/${chart.name}`,
      ref,
      layerSelector: { mediaType: HELM_CHART_LAYER, operation: "copy" },
    },
  };
  return [helmRelease(ctx, { chartRef: { kind: "OCIRepository", name: ctx.name } }, values), source];
}
