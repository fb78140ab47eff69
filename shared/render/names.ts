import { ConfigError } from "../errors.js";

/** onechart's "robustName": lowercase, every run of non-word characters (and `_`) becomes `-`, cut to 63, no trailing `-`. */
export function robustName(value: string): string {
  return value
    .replace(/[\W_]+/g, "-")
    .toLowerCase()
    .slice(0, 63)
    .replace(/-+$/, "");
}

/** Join name parts with `-` and keep the result a valid DNS label (cut to 63, no dangling `-`). */
export function joinName(...parts: string[]): string {
  return parts
    .filter((part) => part !== "")
    .join("-")
    .slice(0, 63)
    .replace(/-+$/, "");
}

/** A host as part of an object name: `*.shop.acme.dev` → `wildcard-shop-acme-dev`. */
export function hostSlug(host: string): string {
  return robustName(host.replace(/^\*\./, "wildcard.")).replace(/^-+/, "");
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** What every renderer needs to know about the app it renders. */
export interface RenderContext {
  /** The object name: robustName(app). */
  name: string;
  /** The app as written in the manifest (after templating). */
  app: string;
  env: string;
  namespace?: string;
  /** Value of `app.kubernetes.io/name`: the chart name, as Helm charts do (`onechart` for onechart). */
  chartName: string;
}

export function renderContext(
  manifest: { app: string; env: string; namespace?: string },
  chartName: string,
): RenderContext {
  const name = robustName(manifest.app);
  if (name === "") throw ConfigError.at("app", `"${manifest.app}" gives an empty object name; use letters or digits`);
  return { name, app: manifest.app, env: manifest.env, namespace: manifest.namespace, chartName };
}

/** The labels selectors use: they must never change for a running app (a Deployment's selector is immutable). */
export function selectorLabels(ctx: RenderContext): Record<string, string> {
  return { "app.kubernetes.io/name": ctx.chartName, "app.kubernetes.io/instance": ctx.name };
}

/** Labels on every rendered object and pod template; the flux agent finds workloads by the `gimlet.io/*` ones. */
export function commonLabels(ctx: RenderContext): Record<string, string> {
  return {
    ...selectorLabels(ctx),
    "app.kubernetes.io/managed-by": "gimlet",
    "gimlet.io/app": labelValue(ctx.app),
    "gimlet.io/env": labelValue(ctx.env),
  };
}

/** A label value as given when it is a valid one, else its robust form (label values allow fewer characters). */
export function labelValue(value: string): string {
  return LABEL_VALUE.test(value) && value.length <= 63 ? value : robustName(value);
}

/** `metadata` with the namespace only when the manifest has one, and annotations only when there are some. */
export function objectMeta(
  ctx: RenderContext,
  name: string,
  annotations?: Record<string, string>,
): { name: string; namespace?: string; labels: Record<string, string>; annotations?: Record<string, string> } {
  const meta: {
    name: string;
    namespace?: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
  } = {
    name,
    labels: commonLabels(ctx),
  };
  if (ctx.namespace) meta.namespace = ctx.namespace;
  if (annotations && Object.keys(annotations).length > 0) meta.annotations = annotations;
  return meta;
}
