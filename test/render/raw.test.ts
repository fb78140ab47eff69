import { describe, expect, test } from "@jest/globals";
import { renderObjects } from "../../shared/render/index.js";
import { expectGolden } from "../helpers/golden.js";
import { onechartManifest, renderText } from "./renderText.js";

const RAW = `
# leading comment-only document is skipped
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: shop
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: shop-reader
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: shop-reader
  namespace: shop-tools
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: shop-reader
subjects:
  - kind: ServiceAccount
    name: shop
    namespace: shop
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: shop-wildcard
spec:
  secretName: shop-wildcard
  dnsNames: ["*.shop.acme.dev"]
  issuerRef: { name: letsencrypt, kind: ClusterIssuer }
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: shop-cleanup
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: cleanup
              image: ghcr.io/acme/shop:1.0.0
              args: ["cleanup", "--older-than", "30d"]
`;

describe("raw manifests", () => {
  test("are appended, namespaced when namespaced, and written one file per kind", () => {
    expectGolden(
      "render/raw-manifests.yaml",
      renderText(onechartManifest({ serviceAccount: "shop" }, { manifests: RAW })),
    );
  });

  test("the manifest namespace fills in only where missing and only for namespaced kinds", () => {
    const objects = renderObjects(onechartManifest(undefined, { manifests: RAW }));
    const ns = (kind: string) => objects.find((o) => o.kind === kind)?.metadata.namespace;
    expect(ns("ServiceAccount")).toBe("shop");
    expect(ns("ClusterRole")).toBeUndefined();
    expect(ns("RoleBinding")).toBe("shop-tools");
    expect(ns("Certificate")).toBe("shop");
  });

  test("without a manifest namespace raw objects keep theirs", () => {
    const objects = renderObjects(onechartManifest(undefined, { namespace: undefined, manifests: RAW }));
    expect(objects.find((o) => o.kind === "ServiceAccount")?.metadata.namespace).toBeUndefined();
  });

  test("empty documents and an empty string add nothing", () => {
    const base = renderObjects(onechartManifest(undefined));
    expect(renderObjects(onechartManifest(undefined, { manifests: "" }))).toEqual(base);
    expect(renderObjects(onechartManifest(undefined, { manifests: "---\n---\n# nothing\n" }))).toEqual(base);
  });
});
