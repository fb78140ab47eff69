import { describe, expect, test } from "@jest/globals";
import type { Manifest } from "../../shared/manifest/schema.js";
import { isOnechart, renderObjects } from "../../shared/render/index.js";
import { expectGolden } from "../helpers/golden.js";
import { renderText } from "./renderText.js";

function chartManifest(
  chart: Manifest["chart"],
  values?: Record<string, unknown>,
  extra: Partial<Manifest> = {},
): Manifest {
  return { app: "shop-worker", env: "staging", namespace: "shop", chart, values, ...extra };
}

const cases: Array<[string, Manifest]> = [
  [
    "helmrelease-https",
    chartManifest(
      { repository: "https://charts.bitnami.com/bitnami", name: "redis", version: "19.6.4" },
      { architecture: "standalone", auth: { enabled: false }, replica: { replicaCount: 1 } },
    ),
  ],
  [
    "helmrelease-https-no-version",
    chartManifest({ repository: "https://charts.acme.dev/", name: "worker" }, { queue: "orders" }),
  ],
  [
    "helmrelease-https-no-values",
    chartManifest({ repository: "https://charts.acme.dev", name: "worker", version: "1.0.0" }, undefined, {
      namespace: undefined,
    }),
  ],
  [
    "helmrelease-oci",
    chartManifest(
      { repository: "oci://ghcr.io/acme/charts", name: "worker", version: "2.1.0" },
      { image: { tag: "4f2a9c1" }, queue: "orders" },
      {
        manifests: "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: shop-worker\n  namespace: shop\n",
      },
    ),
  ],
  [
    "helmrelease-oci-range",
    chartManifest({ repository: "oci://ghcr.io/acme/charts/", name: "worker", version: "2.x" }, { queue: "orders" }),
  ],
  [
    "helmrelease-oci-no-version",
    chartManifest({ repository: "oci://registry-1.docker.io/bitnamicharts", name: "nginx" }),
  ],
  [
    "helmrelease-cron-job",
    chartManifest(
      { repository: "https://chart.onechart.dev", name: "cron-job", version: "0.73.0" },
      { schedule: "*/5 * * * *", image: { repository: "ghcr.io/acme/cleanup", tag: "1.2.0" } },
    ),
  ],
];

describe("HelmRelease renderer", () => {
  test.each(cases)("%s", (name, manifest) => {
    expectGolden(`render/${name}.yaml`, renderText(manifest));
  });

  test("an https chart gives a v2 HelmRelease pointing at its HelmRepository", () => {
    const [release, source] = renderObjects(cases[0]![1]) as Array<Record<string, any>>;
    expect(release!.apiVersion).toBe("helm.toolkit.fluxcd.io/v2");
    expect(release!.spec.chart.spec).toMatchObject({
      chart: "redis",
      version: "19.6.4",
      sourceRef: { kind: "HelmRepository", name: "shop-worker" },
    });
    expect(release!.spec.values).toEqual({
      architecture: "standalone",
      auth: { enabled: false },
      replica: { replicaCount: 1 },
    });
    expect(source).toMatchObject({
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "HelmRepository",
      metadata: { name: "shop-worker" },
      spec: { url: "https://charts.bitnami.com/bitnami" },
    });
  });

  test("an oci chart gives an OCIRepository for <registry>/<name> and a chartRef to it", () => {
    const objects = renderObjects(cases[3]![1]) as Array<Record<string, any>>;
    const release = objects.find((o) => o.kind === "HelmRelease")!;
    const source = objects.find((o) => o.kind === "OCIRepository")!;
    expect(release.spec.chartRef).toEqual({ kind: "OCIRepository", name: "shop-worker" });
    expect(release.spec.chart).toBeUndefined();
    expect(source.apiVersion).toBe("source.toolkit.fluxcd.io/v1beta2");
    expect(source.spec.url).toBe("oci://ghcr.io/acme/charts/worker");
    expect(source.spec.ref).toEqual({ tag: "2.1.0" });
    expect(objects.find((o) => o.kind === "ServiceAccount")).toBeDefined();
  });

  test("the gimlet labels are on every object, with the chart as app.kubernetes.io/name", () => {
    for (const object of renderObjects(cases[0]![1]).filter((o) => o.kind !== "ServiceAccount")) {
      expect(object.metadata.labels).toEqual({
        "app.kubernetes.io/name": "redis",
        "app.kubernetes.io/instance": "shop-worker",
        "app.kubernetes.io/managed-by": "gimlet",
        "gimlet.io/app": "shop-worker",
        "gimlet.io/env": "staging",
      });
    }
  });

  test("isOnechart: no chart, or a chart named onechart of any version and repository", () => {
    expect(isOnechart(undefined)).toBe(true);
    expect(isOnechart({ repository: "https://chart.onechart.dev", name: "onechart", version: "0.73.0" })).toBe(true);
    expect(isOnechart({ repository: "https://chart.onechart.dev", name: "onechart" })).toBe(true);
    expect(isOnechart({ repository: "https://chart.onechart.dev", name: "cron-job", version: "0.73.0" })).toBe(false);
    expect(isOnechart({ repository: "oci://ghcr.io/acme/charts", name: "worker" })).toBe(false);
  });
});
