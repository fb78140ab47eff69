import { z } from "zod";
import { ConfigError, type Problem } from "../../errors.js";
import { DNS_LABEL, dnsLabelMessage } from "../../names.js";
import { formatPath, issueMessage } from "../../validation.js";
import { hostSlug } from "../names.js";

// The onechart values this renderer understands. Defaults are applied by the renderers (not here), so they can
// tell "not set" from "set to the default" (e.g. the probe port falls back to the first of `ports[]`).

/** A strict object whose unknown-key error lists the keys it supports. */
function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const supported = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `unknown key; supported keys: ${supported}` : undefined),
  });
}

const str = () => z.string({ error: "must be a string" });
const nonEmpty = () => str().min(1, "must not be empty");
const bool = () => z.boolean({ error: "must be true or false" });
const int = (min: number, max = 2 ** 31 - 1) =>
  z
    .number({ error: "must be a number" })
    .int("must be an integer")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const port = () => int(1, 65535);
const nodePort = () => int(1, 65535);
const stringMap = () => z.record(z.string(), str());
const objectOf = () => z.record(z.string(), z.unknown(), { error: "must be a map" });

const dnsLabel = () => str().regex(DNS_LABEL, dnsLabelMessage);
// IANA service name, what Kubernetes wants for port names.
const PORT_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;
const QUANTITY = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+|[numkKMGTPE]i?|m)?$/;
const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const ENV_KEY = /^[-._a-zA-Z0-9]+$/;

/** A resource quantity: `200m`, `1Gi`, `0.5` or a number; `null` removes onechart's default. */
const quantity = () =>
  z.unknown().transform((value, ctx): string | null => {
    if (value === null) return null;
    const text = typeof value === "number" ? String(value) : value;
    if (typeof text === "string" && QUANTITY.test(text)) return text;
    ctx.addIssue({
      code: "custom",
      message: "must be a Kubernetes quantity such as 200m, 0.5 or 1Gi (or null to drop the default)",
    });
    return z.NEVER;
  });

const resourceList = () => z.record(z.string(), quantity(), { error: "must be a map of quantities" });

const probeSchema = strict({
  enabled: bool().optional(),
  path: str().startsWith("/", "must start with /").optional(),
  settings: strict({
    initialDelaySeconds: int(0).optional(),
    periodSeconds: int(1).optional(),
    successThreshold: int(1).optional(),
    timeoutSeconds: int(1).optional(),
    failureThreshold: int(1).optional(),
  }).optional(),
});

const ingressSchema = strict({
  host: nonEmpty()
    .transform((host) => host.toLowerCase())
    .refine((host) => HOST.test(host), "must be a host name such as app.example.com (no scheme, port or path)"),
  path: str().startsWith("/", "must start with /").optional(),
  pathType: z
    .enum(["Prefix", "Exact", "ImplementationSpecific"], { error: "must be Prefix, Exact or ImplementationSpecific" })
    .optional(),
  paths: z
    .array(
      strict({
        path: str().startsWith("/", "must start with /"),
        pathType: z
          .enum(["Prefix", "Exact", "ImplementationSpecific"], {
            error: "must be Prefix, Exact or ImplementationSpecific",
          })
          .optional(),
      }),
    )
    .min(1, "must list at least one path")
    .optional(),
  tlsEnabled: bool().optional(),
  secretName: dnsLabel().optional(),
  ingressClassName: nonEmpty().optional(),
  annotations: stringMap().optional(),
});

const portSchema = strict({
  name: str()
    .regex(PORT_NAME, "must be a port name: at most 15 lowercase letters, digits and '-', with at least one letter")
    .optional(),
  containerPort: port(),
  svcPort: port().optional(),
  nodePort: nodePort().optional(),
  protocol: z.enum(["TCP", "UDP", "SCTP"], { error: "must be TCP, UDP or SCTP" }).optional(),
});

const volumeSchema = strict({
  name: dnsLabel(),
  path: str().startsWith("/", "must be an absolute path"),
  subPath: nonEmpty().optional(),
  size: quantity().optional(),
  storageClass: nonEmpty().optional(),
  accessMode: z
    .enum(["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"], {
      error: "must be ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod",
    })
    .optional(),
  accessModes: z
    .array(
      z.enum(["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"], {
        error: "must be ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod",
      }),
    )
    .min(1, "must list at least one access mode")
    .optional(),
  pvcAnnotations: stringMap().optional(),
  existingClaim: nonEmpty().optional(),
  emptyDir: z
    .union([bool(), objectOf()], { error: "must be true or an emptyDir spec such as {medium: Memory}" })
    .optional(),
  hostPath: strict({ path: str().startsWith("/", "must be an absolute path"), type: nonEmpty().optional() }).optional(),
  existingConfigMap: nonEmpty().optional(),
  fileName: nonEmpty().regex(ENV_KEY, "must be a file name (letters, digits, '-', '_', '.')").optional(),
  fileContent: str().optional(),
});

const namedRef = () =>
  z.union([nonEmpty(), strict({ name: nonEmpty(), optional: bool().optional() })], {
    error: "must be a name or {name, optional}",
  });

export const onechartValuesSchema = strict({
  image: strict({
    repository: nonEmpty().optional(),
    tag: z
      .union([str(), z.number()], { error: "must be a string" })
      .transform((tag) => String(tag))
      .optional(),
    pullPolicy: z
      .enum(["Always", "IfNotPresent", "Never"], { error: "must be Always, IfNotPresent or Never" })
      .optional(),
  }).optional(),
  replicas: int(0).optional(),
  strategy: z.enum(["Recreate", "RollingUpdate"], { error: "must be Recreate or RollingUpdate" }).optional(),
  containerPort: port().optional(),
  ports: z.array(portSchema).min(1, "must list at least one port").optional(),
  svcPort: port().optional(),
  nodePort: nodePort().optional(),
  nodePortEnabled: bool().optional(),
  loadbalancerEnabled: bool().optional(),
  serviceAnnotations: stringMap().optional(),
  command: z
    .union([str(), z.array(str()).min(1, "must not be empty")], {
      error: "must be a string (run in `shell`) or a list of strings",
    })
    .optional(),
  shell: nonEmpty().optional(),
  vars: z
    .record(z.string(), z.union([str(), z.number(), z.boolean()], { error: "must be a string, number or boolean" }), {
      error: "must be a map",
    })
    .transform((vars) => Object.fromEntries(Object.entries(vars).map(([key, value]) => [key, String(value)])))
    .optional(),
  secretEnabled: bool().optional(),
  secretName: dnsLabel().optional(),
  existingSecrets: z.array(namedRef()).optional(),
  existingConfigMaps: z.array(namedRef()).optional(),
  sealedSecrets: z.record(z.string(), nonEmpty(), { error: "must be a map of encrypted values" }).optional(),
  imagePullSecrets: z
    .array(z.union([nonEmpty(), strict({ name: nonEmpty() })], { error: "must be a secret name" }))
    .optional(),
  ingress: ingressSchema.optional(),
  ingresses: z.array(ingressSchema).optional(),
  probe: probeSchema.optional(),
  livenessProbe: probeSchema.optional(),
  resources: strict({
    requests: resourceList().optional(),
    limits: resourceList().optional(),
    ignore: bool().optional(),
    ignoreLimits: bool().optional(),
  }).optional(),
  volumes: z.array(volumeSchema).optional(),
  podDisruptionBudgetEnabled: bool().optional(),
  podAnnotations: stringMap().optional(),
  podLabels: stringMap().optional(),
  nodeSelector: stringMap().optional(),
  tolerations: z.array(objectOf()).optional(),
  affinity: objectOf().optional(),
  spreadAcrossNodes: bool().optional(),
  serviceAccount: dnsLabel().optional(),
  securityContext: objectOf().optional(),
  podSecurityContext: objectOf().optional(),
  gitSha: nonEmpty().optional(),
  gitRepository: nonEmpty().optional(),
  gitBranch: nonEmpty().optional(),
}).superRefine((values, ctx) => {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
  const exposesNodePorts = values.nodePortEnabled === true || values.loadbalancerEnabled === true;
  if (values.nodePortEnabled && values.loadbalancerEnabled)
    issue(["loadbalancerEnabled"], "choose one of nodePortEnabled and loadbalancerEnabled");
  if (values.nodePort !== undefined && !exposesNodePorts)
    issue(["nodePort"], "needs nodePortEnabled: true (or loadbalancerEnabled: true)");
  values.ports?.forEach((p, i) => {
    if (p.nodePort !== undefined && !exposesNodePorts)
      issue(["ports", i, "nodePort"], "needs nodePortEnabled: true (or loadbalancerEnabled: true)");
  });
  duplicates(
    values.ports?.map((p) => p.name ?? `tcp-${p.containerPort}`),
    (i) => issue(["ports", i, "name"], "is used by another port"),
  );
  duplicates(
    values.volumes?.map((v) => v.name),
    (i) => issue(["volumes", i, "name"], "is used by another volume"),
  );
  duplicates(
    values.ingresses?.map((ing) => hostSlug(ing.host)),
    (i) => issue(["ingresses", i, "host"], "gives the same Ingress name as another of ingresses[]"),
  );
  values.volumes?.forEach((volume, i) => {
    const sources = (["existingClaim", "emptyDir", "hostPath", "existingConfigMap", "fileName"] as const).filter(
      (key) => volume[key] !== undefined && volume[key] !== false,
    );
    if (sources.length > 1) issue(["volumes", i], `set only one of ${sources.join(", ")}`);
    if (volume.fileName !== undefined && volume.fileContent === undefined)
      issue(["volumes", i, "fileContent"], "is required with fileName");
    if (volume.fileContent !== undefined && volume.fileName === undefined)
      issue(["volumes", i, "fileName"], "is required with fileContent");
    if (volume.accessMode !== undefined && volume.accessModes !== undefined)
      issue(["volumes", i, "accessModes"], "set accessMode or accessModes, not both");
  });
  if (values.shell !== undefined && typeof values.command !== "string")
    issue(["shell"], "only applies to a string command");
  if (values.ports !== undefined) {
    if (values.svcPort !== undefined)
      issue(["svcPort"], "applies to the single containerPort; with ports[] set svcPort on each port");
    if (values.nodePort !== undefined)
      issue(["nodePort"], "applies to the single containerPort; with ports[] set nodePort on each port");
  }
  const repository = values.image?.repository;
  if (repository !== undefined && values.image?.tag !== undefined && hasTagOrDigest(repository)) {
    issue(["image", "repository"], "already has a tag or digest; remove it or remove image.tag");
  }
  for (const key of Object.keys(values.podLabels ?? {})) {
    if (key.startsWith("app.kubernetes.io/") || key.startsWith("gimlet.io/"))
      issue(["podLabels", key], "is set by gimlet and can't be overridden");
  }
  for (const [key] of Object.entries(values.vars ?? {})) {
    if (!ENV_KEY.test(key)) issue(["vars", key], "must be a variable name (letters, digits, '-', '_', '.')");
  }
});

export type OnechartValues = z.output<typeof onechartValuesSchema>;
export type IngressValues = z.output<typeof ingressSchema>;
export type ProbeValues = z.output<typeof probeSchema>;
export type VolumeValues = z.output<typeof volumeSchema>;
export type PortValues = z.output<typeof portSchema>;

/** `nginx:1.25`, `ghcr.io/a/b@sha256:...`: a colon after the last `/` is a tag (a colon before it is a registry port). */
export function hasTagOrDigest(repository: string): boolean {
  return repository.includes("@") || /:[^/]*$/.test(repository);
}

function duplicates(items: string[] | undefined, report: (index: number) => void): void {
  const seen = new Set<string>();
  items?.forEach((item, i) => {
    if (seen.has(item)) report(i);
    seen.add(item);
  });
}

/** Parse onechart values; every problem is reported at once as `values.<path>: message`. */
export function parseOnechartValues(values: unknown): OnechartValues {
  const result = onechartValuesSchema.safeParse(values ?? {});
  if (result.success) return result.data;
  const problems: Problem[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        problems.push({ path: formatPath(["values", ...issue.path, key]), message: issue.message });
    } else if (issue.code === "invalid_key") {
      problems.push({
        path: formatPath(["values", ...issue.path]),
        message: issue.issues[0]?.message ?? issue.message,
      });
    } else {
      problems.push({ path: formatPath(["values", ...issue.path]), message: issueMessage(issue, values ?? {}) });
    }
  }
  throw ConfigError.of(problems);
}
