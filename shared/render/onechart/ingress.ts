import { hostSlug, joinName, objectMeta, type RenderContext } from "../names.js";
import type { K8sObject } from "../types.js";
import { gitAnnotations } from "./annotations.js";
import { servicePort } from "./service.js";
import type { IngressValues, OnechartValues } from "./values.js";

/** `ingress` is named after the app; each of `ingresses[]` after the app and its host, as onechart names them. */
export function ingressName(ctx: RenderContext, ingress: IngressValues, single: boolean): string {
  return single ? ctx.name : joinName(ctx.name, hostSlug(ingress.host));
}

function renderIngress(values: OnechartValues, ctx: RenderContext, ingress: IngressValues, single: boolean): K8sObject {
  const name = ingressName(ctx, ingress, single);
  const backend = { service: { name: ctx.name, port: { number: servicePort(values) } } };
  const paths = (ingress.paths ?? [{ path: ingress.path ?? "/", pathType: ingress.pathType }]).map((entry) => ({
    path: entry.path,
    pathType: entry.pathType ?? "Prefix",
    backend,
  }));
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: objectMeta(ctx, name, { ...ingress.annotations, ...gitAnnotations(values, ["sha", "repository"]) }),
    spec: {
      ingressClassName: ingress.ingressClassName,
      tls: ingress.tlsEnabled
        ? [{ hosts: [ingress.host], secretName: ingress.secretName ?? `tls-${name}` }]
        : undefined,
      rules: [{ host: ingress.host, http: { paths } }],
    },
  };
}

export function renderIngresses(values: OnechartValues, ctx: RenderContext): K8sObject[] {
  const objects: K8sObject[] = [];
  if (values.ingress) objects.push(renderIngress(values, ctx, values.ingress, true));
  for (const ingress of values.ingresses ?? []) objects.push(renderIngress(values, ctx, ingress, false));
  return objects;
}
