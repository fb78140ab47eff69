import { describe, expect, test } from "@jest/globals";
import { ConfigError } from "../errors.js";
import { parseManifest } from "./load.js";
import { templateManifest } from "./template.js";

const vars = { SHA: "abc123", BRANCH: "Feature/Login", REPLICAS: "3", TLS: "true", APP: "shop", ENV: "staging" };
const typeAt = (path: ReadonlyArray<string | number>) =>
  path.join(".") === "values.replicas"
    ? "integer"
    : path.join(".") === "values.ingress.tlsEnabled"
      ? "boolean"
      : undefined;

describe("templateManifest", () => {
  test("renders app, namespace, values, raw manifests and patches; typed values where the chart wants them", () => {
    const manifest = parseManifest(
      {
        app: "shop-{{ .BRANCH | sanitizeDNSName }}",
        env: "staging",
        namespace: "{{ .ENV }}",
        values: {
          image: { tag: "{{ .SHA }}" },
          replicas: "{{ .REPLICAS }}",
          ingress: { tlsEnabled: "{{ .TLS }}", host: "{{ .APP }}.acme.dev" },
          port: "{{ .REPLICAS }}",
        },
        manifests: "kind: ConfigMap\nmetadata:\n  name: '{{ .APP }}-extra'\n",
        json6902Patches: [
          {
            target: { kind: "Deployment", name: "shop" },
            patch: [{ op: "add", path: "/metadata/labels/sha", value: "{{ .SHA }}" }],
          },
        ],
      },
      "m.yaml",
    );
    const out = templateManifest(manifest, vars, { file: "m.yaml", typeAt });
    expect(out.app).toBe("shop-feature-login");
    expect(out.namespace).toBe("staging");
    expect(out.values).toEqual({
      image: { tag: "abc123" },
      replicas: 3,
      ingress: { tlsEnabled: true, host: "shop.acme.dev" },
      port: "3",
    });
    expect(out.manifests).toContain("name: 'shop-extra'");
    expect(out.json6902Patches?.[0]?.patch).toEqual([{ op: "add", path: "/metadata/labels/sha", value: "abc123" }]);
    expect(manifest.values?.replicas).toBe("{{ .REPLICAS }}");
  });

  test("every missing variable is reported, with file and path", () => {
    const manifest = parseManifest(
      { app: "shop", env: "staging", values: { image: { tag: "{{ .TAG }}" } }, namespace: "{{ .NS }}" },
      "m.yaml",
    );
    try {
      templateManifest(manifest, vars, { file: "m.yaml" });
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`).join("\n");
      expect(text).toMatch(/m\.yaml: namespace: .*NS/);
      expect(text).toMatch(/m\.yaml: values\.image\.tag: .*TAG/);
    }
  });

  test("an app name that renders to something that is not a DNS label is refused", () => {
    const manifest = parseManifest({ app: "{{ .BRANCH }}", env: "staging" }, "m.yaml");
    expect(() => templateManifest(manifest, { BRANCH: "../etc" }, { file: "m.yaml" })).toThrow(
      /m\.yaml: app: "\.\.\/etc" must be a DNS label/,
    );
  });
});
