import { describe, expect, test } from "@jest/globals";
import type { Manifest } from "../manifest/schema.js";
import { objectProblems } from "./admission.js";
import { renderObjects } from "./index.js";

const manifest = (extra: Partial<Manifest> = {}): Manifest =>
  ({
    app: "shop",
    env: "production",
    namespace: "shop",
    values: { image: { repository: "ghcr.io/acme/shop", tag: "1" } },
    ...extra,
  }) as Manifest;

const RAW = `apiVersion: v1
kind: Namespace
metadata: { name: shop-extra }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: shop-reader }
rules: []
---
apiVersion: v1
kind: ConfigMap
metadata: { name: elsewhere, namespace: kube-system }
data: {}
`;

describe("objectProblems", () => {
  test("onechart output in its namespace passes; the default refuses every cluster-scoped kind", () => {
    expect(objectProblems(renderObjects(manifest()), { namespaces: ["shop"] }, "production")).toEqual([]);
    expect(objectProblems(renderObjects(manifest({ manifests: RAW })), {}, "production")).toEqual([
      {
        path: "Namespace/shop-extra",
        message:
          "Namespace is cluster-scoped; production allows no cluster-scoped objects (clusterScoped in .github/gimlet.yml)",
      },
      {
        path: "ClusterRole/shop-reader",
        message:
          "ClusterRole is cluster-scoped; production allows no cluster-scoped objects (clusterScoped in .github/gimlet.yml)",
      },
    ]);
  });

  test("clusterScoped lists kinds; true allows all; namespaces globs apply to namespaced objects", () => {
    const objects = renderObjects(manifest({ manifests: RAW }));
    expect(
      objectProblems(objects, { clusterScoped: ["ClusterRole"], namespaces: ["shop*"] }, "production").map(
        (p) => `${p.path}: ${p.message}`,
      ),
    ).toEqual([
      "Namespace/shop-extra: Namespace is cluster-scoped; production allows only ClusterRole (clusterScoped in .github/gimlet.yml)",
      "ConfigMap/elsewhere: namespace kube-system is not allowed in production (namespaces: shop*)",
    ]);
    expect(objectProblems(objects, { clusterScoped: true }, "production")).toEqual([]);
  });

  test("with namespaces set, an object without a namespace is refused (it would land wherever Flux applies)", () => {
    const objects = renderObjects(manifest({ namespace: undefined }));
    expect(objectProblems(objects, { namespaces: ["shop"] }, "staging")[0]).toEqual({
      path: "Deployment/shop",
      message: "no namespace; staging allows namespaces shop: set namespace in the manifest",
    });
  });
});
