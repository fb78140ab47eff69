import { describe, expect, test } from "@jest/globals";
import { renderObjects } from "../../shared/render/index.js";
import { expectGolden } from "../helpers/golden.js";
import { onechartManifest, renderText } from "./renderText.js";

const VALUES = {
  image: { repository: "ghcr.io/acme/shop", tag: "1.0.0" },
  containerPort: 8080,
  vars: { NODE_ENV: "production" },
  volumes: [
    { name: "data", path: "/data" },
    { name: "tmp", path: "/tmp", emptyDir: true },
  ],
  ingress: { host: "shop.acme.dev", tlsEnabled: true },
};

const STRATEGIC = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  annotations:
    reloader.stakater.com/auto: "true"
spec:
  template:
    spec:
      containers:
        - name: shop
          env:
            - name: GOMAXPROCS
              value: "2"
          resources:
            limits:
              cpu: null
          volumeMounts:
            - name: tmp
              $patch: delete
        - name: proxy
          image: ghcr.io/acme/auth-proxy:3.1.0
          ports:
            - name: proxy
              containerPort: 4180
      volumes:
        - name: tmp
          $patch: delete
      securityContext:
        $patch: delete
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  ports:
    - name: proxy
      port: 4180
      targetPort: proxy
---
kind: ConfigMap
metadata:
  name: shop
data:
  NODE_ENV: staging
  EXTRA: "on"
`;

describe("strategicMergePatches", () => {
  test("merge maps, merge containers/env/ports/volumes by name, delete with $patch and null", () => {
    expectGolden(
      "render/patch-strategic.yaml",
      renderText(onechartManifest(VALUES, { strategicMergePatches: STRATEGIC })),
    );
  });

  test("lists that are not merged by name are replaced; $patch: replace replaces a map", () => {
    const objects = renderObjects(
      onechartManifest(VALUES, {
        strategicMergePatches: `
kind: Ingress
metadata: { name: shop }
spec:
  tls:
    - hosts: [shop.acme.io]
      secretName: other
  rules:
    - host: shop.acme.io
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: { service: { name: shop, port: { number: 8080 } } }
---
kind: Deployment
metadata: { name: shop }
spec:
  selector:
    $patch: replace
    matchLabels: { app.kubernetes.io/instance: shop }
`,
      }),
    ) as Array<Record<string, any>>;
    const ingress = objects.find((o) => o.kind === "Ingress")!;
    expect(ingress.spec.tls).toEqual([{ hosts: ["shop.acme.io"], secretName: "other" }]);
    expect(ingress.spec.rules).toHaveLength(1);
    const deployment = objects.find((o) => o.kind === "Deployment")!;
    expect(deployment.spec.selector).toEqual({ matchLabels: { "app.kubernetes.io/instance": "shop" } });
  });
});

describe("json6902Patches", () => {
  test("operations given as a list and as a YAML string, applied in order", () => {
    const manifest = onechartManifest(VALUES, {
      json6902Patches: [
        {
          target: { kind: "Deployment", name: "shop" },
          patch: [
            { op: "replace", path: "/spec/replicas", value: 2 },
            { op: "add", path: "/metadata/annotations/example.com~1owner", value: "team-checkout" },
            { op: "add", path: "/spec/template/spec/containers/0/env", value: [{ name: "A", value: "1" }] },
            { op: "add", path: "/spec/template/spec/containers/0/env/-", value: { name: "B", value: "2" } },
            {
              op: "copy",
              from: "/spec/template/spec/containers/0/env/0",
              path: "/spec/template/spec/containers/0/env/-",
            },
            { op: "remove", path: "/spec/template/spec/containers/0/resources/limits" },
            { op: "test", path: "/spec/template/spec/containers/0/image", value: "ghcr.io/acme/shop:1.0.0" },
          ],
        },
        {
          target: { group: "networking.k8s.io", version: "v1", kind: "Ingress", name: "shop", namespace: "shop" },
          patch: `
- op: move
  from: /spec/tls/0/secretName
  path: /metadata/labels/old-secret
- op: add
  path: /spec/tls/0/secretName
  value: acme-wildcard
- op: replace
  path: /spec/rules/0/http/paths/0/pathType
  value: ImplementationSpecific
`,
        },
        {
          target: { kind: "Service", name: "shop" },
          patch: '[{"op": "add", "path": "/spec/sessionAffinity", "value": "ClientIP"}]',
        },
      ],
    });
    expectGolden("render/patch-json6902.yaml", renderText(manifest));
  });

  test("strategic patches apply before json6902 patches, and both reach raw manifests", () => {
    const objects = renderObjects(
      onechartManifest(undefined, {
        manifests: "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: shop\n",
        strategicMergePatches: "kind: ServiceAccount\nmetadata:\n  name: shop\n  labels:\n    team: checkout\n",
        json6902Patches: [
          {
            target: { kind: "ServiceAccount", name: "shop" },
            patch: [
              { op: "test", path: "/metadata/labels/team", value: "checkout" },
              { op: "add", path: "/automountServiceAccountToken", value: false },
            ],
          },
        ],
      }),
    ) as Array<Record<string, any>>;
    const account = objects.find((o) => o.kind === "ServiceAccount")!;
    expect(account.metadata.labels).toEqual({ team: "checkout" });
    expect(account.automountServiceAccountToken).toBe(false);
  });
});
