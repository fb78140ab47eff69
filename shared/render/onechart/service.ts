import { objectMeta, type RenderContext, selectorLabels } from "../names.js";
import type { K8sObject } from "../types.js";
import { gitAnnotations } from "./annotations.js";
import { ONECHART_DEFAULTS, portName } from "./container.js";
import type { OnechartValues } from "./values.js";

export function serviceType(values: OnechartValues): string {
  if (values.nodePortEnabled) return "NodePort";
  if (values.loadbalancerEnabled) return "LoadBalancer";
  return "ClusterIP";
}

/** The Service port an Ingress routes to: the single port, or the first of `ports[]`. */
export function servicePort(values: OnechartValues): number {
  const first = values.ports?.[0];
  if (first) return first.svcPort ?? first.containerPort;
  return values.svcPort ?? values.containerPort ?? ONECHART_DEFAULTS.containerPort;
}

function servicePorts(values: OnechartValues): Record<string, unknown>[] {
  if (!values.ports) {
    return [
      { name: "http", port: servicePort(values), targetPort: "http", protocol: "TCP", nodePort: values.nodePort },
    ];
  }
  // targetPort by name, so the Service follows the container port it belongs to.
  return values.ports.map((port) => ({
    name: portName(port),
    port: port.svcPort ?? port.containerPort,
    targetPort: portName(port),
    protocol: port.protocol ?? "TCP",
    nodePort: port.nodePort,
  }));
}

export function renderService(values: OnechartValues, ctx: RenderContext): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: objectMeta(ctx, ctx.name, {
      ...values.serviceAnnotations,
      ...gitAnnotations(values, ["sha", "repository", "branch"]),
    }),
    spec: { type: serviceType(values), ports: servicePorts(values), selector: selectorLabels(ctx) },
  };
}
