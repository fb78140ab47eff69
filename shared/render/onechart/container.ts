import { hasTagOrDigest, type OnechartValues, type ProbeValues } from "./values.js";

/**
 * onechart's defaults (charts/onechart/values.yaml), kept here so the rendered objects match what
 * `helm template onechart` gives for the same values:
 * - image `nginx:latest`, pullPolicy `IfNotPresent`;
 * - containerPort 80, the port named `http`;
 * - resources requests cpu 200m / memory 200Mi and limits cpu 200m / memory 200Mi (merged key by key with the
 *   user's, as Helm merges values; `null` drops a default, `ignoreLimits` keeps only requests, `ignore` drops all);
 * - probes off; when on, path `/` and initialDelaySeconds 0, periodSeconds 10, successThreshold 1,
 *   timeoutSeconds 3, failureThreshold 3;
 * - shell `/bin/sh` for a string `command`.
 */
export const ONECHART_DEFAULTS = {
  image: { repository: "nginx", tag: "latest", pullPolicy: "IfNotPresent" },
  containerPort: 80,
  shell: "/bin/sh",
  resources: { requests: { cpu: "200m", memory: "200Mi" }, limits: { cpu: "200m", memory: "200Mi" } },
  probe: {
    path: "/",
    settings: {
      initialDelaySeconds: 0,
      periodSeconds: 10,
      successThreshold: 1,
      timeoutSeconds: 3,
      failureThreshold: 3,
    },
  },
  podSecurityContext: { fsGroup: 999 },
} as const;

export function imageReference(image: OnechartValues["image"]): string {
  const repository = image?.repository ?? ONECHART_DEFAULTS.image.repository;
  const tag = image?.tag;
  if (tag === undefined || tag === "") {
    // A repository that already pins a tag or digest is used as is, instead of onechart's broken `repo:1.0:latest`.
    return hasTagOrDigest(repository) ? repository : `${repository}:${ONECHART_DEFAULTS.image.tag}`;
  }
  return tag.startsWith("sha256:") ? `${repository}@${tag}` : `${repository}:${tag}`;
}

/** The port probes hit: containerPort, else the first of `ports[]`, else 80. */
export function probePort(values: OnechartValues): number {
  return values.containerPort ?? values.ports?.[0]?.containerPort ?? ONECHART_DEFAULTS.containerPort;
}

export function containerPorts(values: OnechartValues): Record<string, unknown>[] {
  if (!values.ports)
    return [{ name: "http", containerPort: values.containerPort ?? ONECHART_DEFAULTS.containerPort, protocol: "TCP" }];
  return values.ports.map((port) => ({
    name: portName(port),
    containerPort: port.containerPort,
    protocol: port.protocol ?? "TCP",
  }));
}

/** Unnamed `ports[]` entries get onechart's `tcp-<port>` name, which the Service's targetPort refers to. */
export function portName(port: { name?: string; containerPort: number }): string {
  return port.name ?? `tcp-${port.containerPort}`;
}

function httpProbe(probe: ProbeValues | undefined, port: number): Record<string, unknown> | undefined {
  if (!probe?.enabled) return undefined;
  return {
    httpGet: { path: probe.path ?? ONECHART_DEFAULTS.probe.path, port, scheme: "HTTP" },
    ...ONECHART_DEFAULTS.probe.settings,
    ...probe.settings,
  };
}

function mergeQuantities(
  defaults: Record<string, string>,
  given: Record<string, string | null> | undefined,
): Record<string, string> {
  const merged: Record<string, string | null> = { ...defaults, ...given };
  return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== null));
}

export function containerResources(resources: OnechartValues["resources"]): Record<string, unknown> | undefined {
  if (resources?.ignore) return undefined;
  const requests = mergeQuantities(ONECHART_DEFAULTS.resources.requests, resources?.requests);
  const limits = resources?.ignoreLimits ? {} : mergeQuantities(ONECHART_DEFAULTS.resources.limits, resources?.limits);
  const result: Record<string, unknown> = {};
  if (Object.keys(requests).length > 0) result.requests = requests;
  if (Object.keys(limits).length > 0) result.limits = limits;
  return Object.keys(result).length > 0 ? result : undefined;
}

function refName(ref: string | { name: string; optional?: boolean }): { name: string; optional: boolean } {
  return typeof ref === "string" ? { name: ref, optional: false } : { name: ref.name, optional: ref.optional ?? false };
}

/** envFrom in onechart's order: the vars ConfigMap, existing secrets and config maps, then the app's own secret. */
export function envFrom(values: OnechartValues, appName: string): Record<string, unknown>[] {
  const sources: Record<string, unknown>[] = [];
  if (values.vars && Object.keys(values.vars).length > 0) sources.push({ configMapRef: { name: appName } });
  for (const ref of values.existingSecrets ?? []) sources.push({ secretRef: refName(ref) });
  for (const ref of values.existingConfigMaps ?? []) sources.push({ configMapRef: refName(ref) });
  const ownSecrets = new Set<string>();
  if (values.secretEnabled) ownSecrets.add(values.secretName ?? appName);
  if (values.sealedSecrets && Object.keys(values.sealedSecrets).length > 0) ownSecrets.add(appName);
  for (const name of ownSecrets) sources.push({ secretRef: { name } });
  return sources;
}

export function containerCommand(values: OnechartValues): string[] | undefined {
  if (values.command === undefined) return undefined;
  if (Array.isArray(values.command)) return values.command;
  return [values.shell ?? ONECHART_DEFAULTS.shell, "-c", values.command];
}

/** The app's one container. */
export function renderContainer(
  values: OnechartValues,
  appName: string,
  volumeMounts: Record<string, unknown>[],
): Record<string, unknown> {
  const port = probePort(values);
  const env = envFrom(values, appName);
  const container: Record<string, unknown> = {
    name: appName,
    image: imageReference(values.image),
    imagePullPolicy: values.image?.pullPolicy ?? ONECHART_DEFAULTS.image.pullPolicy,
    command: containerCommand(values),
    envFrom: env.length > 0 ? env : undefined,
    ports: containerPorts(values),
    readinessProbe: httpProbe(values.probe, port),
    livenessProbe: httpProbe(values.livenessProbe, port),
    volumeMounts: volumeMounts.length > 0 ? volumeMounts : undefined,
    resources: containerResources(values.resources),
    securityContext:
      values.securityContext && Object.keys(values.securityContext).length > 0 ? values.securityContext : undefined,
  };
  return container;
}
