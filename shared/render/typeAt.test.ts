import { describe, expect, test } from "@jest/globals";
import { ConfigError } from "../errors.js";
import type { Manifest } from "../manifest/schema.js";
import { onechartTypeAt, renderObjects } from "./index.js";
import { ONECHART_VALUE_TYPES } from "./onechart/typeAt.js";

/** A onechart manifest of the app `shop` with these values. */
function onechartManifest(values: Record<string, unknown> | undefined, extra: Partial<Manifest> = {}): Manifest {
  return {
    app: "shop",
    env: "staging",
    namespace: "shop",
    chart: { repository: "https://chart.onechart.dev", name: "onechart", version: "0.73.0" },
    values,
    ...extra,
  };
}

// Minimal siblings so a value at the pattern's path is the only thing that can be wrong.
const PARENTS: Record<string, unknown> = {
  ports: [{ containerPort: 8080 }],
  ingress: { host: "shop.acme.dev" },
  ingresses: [{ host: "shop.acme.dev" }],
  volumes: [{ name: "tmp", path: "/tmp" }],
  existingSecrets: [{ name: "s" }],
  existingConfigMaps: [{ name: "c" }],
  tolerations: [{ key: "k", operator: "Exists", effect: "NoExecute" }],
};

function valuesWith(pattern: string, value: unknown): Record<string, unknown> {
  const segments = pattern.replace(/\[\]/g, ".0").split(".");
  const values: Record<string, unknown> = JSON.parse(JSON.stringify({ [segments[0]!]: PARENTS[segments[0]!] ?? {} }));
  if (segments[0] === "nodePort" || (segments[1] === "0" && segments[2] === "nodePort")) values.nodePortEnabled = true;
  let current: any = values;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) current[segment] = value;
    else current = current[segment] ??= /^\d+$/.test(segments[i + 1]!) ? [] : {};
  });
  return values;
}

const typed: Record<string, unknown> = { integer: 3, number: 1.5, boolean: true };

describe("onechartTypeAt", () => {
  test("answers for the documented paths", () => {
    expect(onechartTypeAt(["values", "replicas"])).toBe("integer");
    expect(onechartTypeAt(["values", "containerPort"])).toBe("integer");
    expect(onechartTypeAt(["values", "ports", 2, "svcPort"])).toBe("integer");
    expect(onechartTypeAt(["values", "ports", "0", "containerPort"])).toBe("integer");
    expect(onechartTypeAt(["values", "probe", "enabled"])).toBe("boolean");
    expect(onechartTypeAt(["values", "ingress", "tlsEnabled"])).toBe("boolean");
    expect(onechartTypeAt(["values", "ingresses", 1, "tlsEnabled"])).toBe("boolean");
    expect(onechartTypeAt(["values", "secretEnabled"])).toBe("boolean");
    expect(onechartTypeAt(["values", "nodePortEnabled"])).toBe("boolean");
    expect(onechartTypeAt(["values", "loadbalancerEnabled"])).toBe("boolean");
    expect(onechartTypeAt(["values", "livenessProbe", "settings", "periodSeconds"])).toBe("integer");
  });

  test("strings stay strings", () => {
    expect(onechartTypeAt(["values", "image", "tag"])).toBeUndefined();
    expect(onechartTypeAt(["values", "vars", "PORT"])).toBeUndefined();
    expect(onechartTypeAt(["values", "ports", "x", "containerPort"])).toBeUndefined();
    expect(onechartTypeAt(["values", "ingress", "host"])).toBeUndefined();
    expect(onechartTypeAt(["replicas"])).toBeUndefined();
    expect(onechartTypeAt(["app"])).toBeUndefined();
    expect(onechartTypeAt([])).toBeUndefined();
  });

  test.each(ONECHART_VALUE_TYPES.map(([pattern, type]) => [pattern, type] as const))(
    "%s (%s) matches the schema",
    (pattern, type) => {
      expect(
        onechartTypeAt([
          "values",
          ...pattern
            .replace(/\[\]/g, ".0")
            .split(".")
            .map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
        ]),
      ).toBe(type);
      expect(() => renderObjects(onechartManifest(valuesWith(pattern, typed[type])))).not.toThrow();
      expect(() => renderObjects(onechartManifest(valuesWith(pattern, "{{ .NOT_CONVERTED }}")))).toThrow(ConfigError);
    },
  );
});
