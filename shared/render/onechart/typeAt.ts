// Which onechart values want an integer or a boolean, so the template layer can turn a string that is exactly one
// template (`replicas: "{{ .REPLICAS }}"`) into the type the chart expects. Patterns are relative to `values`;
// `[]` stands for any list index, `*` for any map key. test/render/typeAt.test.ts checks every entry against the
// values schema, so the table can't drift from it.

export type ValueType = "integer" | "number" | "boolean";

const PROBE_SETTINGS = [
  "initialDelaySeconds",
  "periodSeconds",
  "successThreshold",
  "timeoutSeconds",
  "failureThreshold",
];

export const ONECHART_VALUE_TYPES: ReadonlyArray<readonly [string, ValueType]> = [
  ["replicas", "integer"],
  ["containerPort", "integer"],
  ["svcPort", "integer"],
  ["nodePort", "integer"],
  ["ports[].containerPort", "integer"],
  ["ports[].svcPort", "integer"],
  ["ports[].nodePort", "integer"],
  ["nodePortEnabled", "boolean"],
  ["loadbalancerEnabled", "boolean"],
  ["secretEnabled", "boolean"],
  ["podDisruptionBudgetEnabled", "boolean"],
  ["spreadAcrossNodes", "boolean"],
  ["ingress.tlsEnabled", "boolean"],
  ["ingresses[].tlsEnabled", "boolean"],
  ["probe.enabled", "boolean"],
  ["livenessProbe.enabled", "boolean"],
  ...PROBE_SETTINGS.flatMap(
    (key): Array<readonly [string, ValueType]> => [
      [`probe.settings.${key}`, "integer"],
      [`livenessProbe.settings.${key}`, "integer"],
    ],
  ),
  ["resources.ignore", "boolean"],
  ["resources.ignoreLimits", "boolean"],
  ["volumes[].emptyDir", "boolean"],
  ["existingSecrets[].optional", "boolean"],
  ["existingConfigMaps[].optional", "boolean"],
  // Pass-through Kubernetes fields that are commonly templated.
  ["podSecurityContext.fsGroup", "integer"],
  ["podSecurityContext.runAsUser", "integer"],
  ["podSecurityContext.runAsGroup", "integer"],
  ["podSecurityContext.runAsNonRoot", "boolean"],
  ["securityContext.runAsUser", "integer"],
  ["securityContext.runAsGroup", "integer"],
  ["securityContext.runAsNonRoot", "boolean"],
  ["securityContext.readOnlyRootFilesystem", "boolean"],
  ["securityContext.privileged", "boolean"],
  ["securityContext.allowPrivilegeEscalation", "boolean"],
  ["tolerations[].tolerationSeconds", "integer"],
];

function toSegments(pattern: string): string[] {
  return pattern.replace(/\[\]/g, ".[]").split(".");
}

const TABLE = ONECHART_VALUE_TYPES.map(([pattern, type]) => ({ segments: toSegments(pattern), type }));

/** The type onechart wants at `path` (relative to the manifest root, e.g. `["values", "replicas"]`), if not a string. */
export function onechartTypeAt(path: ReadonlyArray<string | number>): ValueType | undefined {
  if (path[0] !== "values") return undefined;
  const rest = path.slice(1);
  for (const { segments, type } of TABLE) {
    if (segments.length !== rest.length) continue;
    const matches = segments.every((segment, i) => {
      const part = rest[i];
      if (segment === "[]") return typeof part === "number" || (typeof part === "string" && /^\d+$/.test(part));
      if (segment === "*") return typeof part === "string";
      return part === segment;
    });
    if (matches) return type;
  }
  return undefined;
}
