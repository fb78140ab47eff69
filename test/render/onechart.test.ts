import { describe, expect, test } from "@jest/globals";
import type { Manifest } from "../../shared/manifest/schema.js";
import { type K8sObject, renderObjects } from "../../shared/render/index.js";
import { expectGolden } from "../helpers/golden.js";
import { onechartManifest, renderText } from "./renderText.js";

interface Case {
  name: string;
  values?: Record<string, unknown>;
  manifest?: Partial<Manifest>;
}

// Each case is a small, named combination of onechart values; its golden file is the whole rendered folder.
const cases: Case[] = [
  { name: "defaults" },
  {
    name: "no-chart",
    manifest: { chart: undefined },
    values: { image: { repository: "ghcr.io/acme/shop", tag: "1.0.0" } },
  },
  {
    name: "no-namespace",
    manifest: { namespace: undefined },
    values: { image: { repository: "ghcr.io/acme/shop", tag: "1.0.0" } },
  },
  {
    name: "app-name-robust",
    manifest: { app: "Shop_Worker.v2" },
    values: { image: { repository: "ghcr.io/acme/shop", tag: "1.0.0" } },
  },
  { name: "image-tag", values: { image: { repository: "ghcr.io/acme/shop", tag: "4f2a9c1" } } },
  { name: "image-default-tag", values: { image: { repository: "ghcr.io/acme/shop" } } },
  { name: "image-repository-pins-tag", values: { image: { repository: "registry.acme.dev:5000/shop:2.3.1" } } },
  {
    name: "image-digest",
    values: {
      image: {
        repository: "ghcr.io/acme/shop",
        tag: "sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
      },
    },
  },
  {
    name: "image-pull-policy",
    values: { image: { repository: "ghcr.io/acme/shop", tag: "main", pullPolicy: "Always" } },
  },
  { name: "replicas-3-pdb", values: { replicas: 3 } },
  { name: "replicas-3-no-pdb", values: { replicas: 3, podDisruptionBudgetEnabled: false } },
  { name: "replicas-0", values: { replicas: 0 } },
  { name: "container-port", values: { containerPort: 8080 } },
  { name: "svc-port", values: { containerPort: 8080, svcPort: 80 } },
  { name: "node-port", values: { containerPort: 3000, nodePortEnabled: true, nodePort: 30080 } },
  { name: "loadbalancer", values: { containerPort: 8080, svcPort: 443, loadbalancerEnabled: true } },
  {
    name: "ports-multi",
    values: {
      ports: [
        { name: "http", containerPort: 8080, svcPort: 80 },
        { name: "metrics", containerPort: 9090 },
        { containerPort: 5353, protocol: "UDP" },
      ],
      probe: { enabled: true },
    },
  },
  {
    name: "ports-node-port",
    values: { nodePortEnabled: true, ports: [{ name: "web", containerPort: 8080, nodePort: 30001 }] },
  },
  { name: "vars", values: { vars: { NODE_ENV: "production", PORT: 8080, DEBUG: false, FEATURE: "yes", EMPTY: "" } } },
  { name: "ingress-basic", values: { containerPort: 8080, ingress: { host: "shop.acme.dev" } } },
  {
    name: "ingress-tls-class-annotations",
    values: {
      containerPort: 8080,
      svcPort: 80,
      ingress: {
        host: "shop.acme.dev",
        tlsEnabled: true,
        ingressClassName: "nginx",
        annotations: {
          "cert-manager.io/cluster-issuer": "letsencrypt",
          "nginx.ingress.kubernetes.io/proxy-body-size": "10m",
        },
      },
    },
  },
  {
    name: "ingress-path-exact",
    values: {
      ingress: { host: "acme.dev", path: "/shop", pathType: "Exact", tlsEnabled: true, secretName: "acme-wildcard" },
    },
  },
  {
    name: "ingress-paths",
    values: {
      ingress: { host: "acme.dev", paths: [{ path: "/shop" }, { path: "/cart", pathType: "ImplementationSpecific" }] },
    },
  },
  {
    name: "ingresses-multi",
    values: {
      ingresses: [
        { host: "shop.acme.dev", tlsEnabled: true },
        { host: "*.shop.acme.dev", tlsEnabled: true, ingressClassName: "traefik" },
        { host: "shop.acme.io", path: "/api" },
      ],
    },
  },
  {
    name: "ingress-and-ingresses",
    values: {
      ingress: { host: "shop.acme.dev", tlsEnabled: true },
      ingresses: [{ host: "www.acme.dev", tlsEnabled: true }],
    },
  },
  { name: "probe-readiness", values: { containerPort: 8080, probe: { enabled: true } } },
  {
    name: "probe-custom-liveness",
    values: {
      containerPort: 8080,
      probe: { enabled: true, path: "/ready", settings: { initialDelaySeconds: 5, failureThreshold: 6 } },
      livenessProbe: { enabled: true, path: "/healthz", settings: { periodSeconds: 30 } },
    },
  },
  { name: "probe-disabled-with-path", values: { probe: { enabled: false, path: "/healthz" } } },
  {
    name: "resources-custom",
    values: { resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: 1, memory: "1Gi" } } },
  },
  { name: "resources-partial-merge", values: { resources: { limits: { memory: "1Gi" } } } },
  { name: "resources-drop-cpu-limit", values: { resources: { limits: { cpu: null } } } },
  { name: "resources-ignore-limits", values: { resources: { requests: { cpu: "100m" }, ignoreLimits: true } } },
  { name: "resources-ignore", values: { resources: { ignore: true } } },
  { name: "volume-pvc-recreate", values: { volumes: [{ name: "data", path: "/var/lib/data", size: "10Gi" }] } },
  {
    name: "volume-pvc-replicas-2",
    values: {
      replicas: 2,
      volumes: [{ name: "data", path: "/data", accessModes: ["ReadWriteMany"], storageClass: "efs" }],
    },
  },
  {
    name: "volume-pvc-options",
    values: {
      volumes: [
        {
          name: "cache",
          path: "/cache",
          accessMode: "ReadWriteOncePod",
          storageClass: "fast-ssd",
          pvcAnnotations: { "backup.velero.io/backup-volumes": "cache" },
        },
      ],
    },
  },
  {
    name: "volume-existing-claim",
    values: { volumes: [{ name: "shared", path: "/shared", existingClaim: "nfs-shared" }] },
  },
  {
    name: "volume-kinds",
    values: {
      volumes: [
        { name: "tmp", path: "/tmp", emptyDir: true },
        { name: "shm", path: "/dev/shm", emptyDir: { medium: "Memory", sizeLimit: "256Mi" } },
        { name: "docker", path: "/var/run/docker.sock", hostPath: { path: "/var/run/docker.sock", type: "Socket" } },
        { name: "settings", path: "/etc/settings", existingConfigMap: "shop-settings" },
        {
          name: "nginx-conf",
          path: "/etc/nginx/conf.d/default.conf",
          subPath: "default.conf",
          fileName: "default.conf",
          fileContent: "server {\n  listen 80;\n}\n",
        },
      ],
    },
  },
  {
    name: "volume-file-and-vars",
    values: {
      vars: { A: "1" },
      volumes: [{ name: "cfg", path: "/etc/app", fileName: "app.yaml", fileContent: "key: value\n" }],
    },
  },
  { name: "strategy-explicit", values: { strategy: "RollingUpdate", volumes: [{ name: "data", path: "/data" }] } },
  { name: "secret-enabled", values: { secretEnabled: true, vars: { LOG_LEVEL: "info" } } },
  { name: "secret-name", values: { secretEnabled: true, secretName: "shop-credentials" } },
  {
    name: "existing-secrets-configmaps",
    values: {
      existingSecrets: ["db-credentials", { name: "stripe", optional: true }],
      existingConfigMaps: [{ name: "feature-flags" }],
    },
  },
  {
    name: "sealed-secrets",
    values: { sealedSecrets: { DATABASE_URL: "AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq", API_KEY: "AgCtr8HZFBOGZ9Nk+SR" } },
  },
  { name: "image-pull-secrets", values: { imagePullSecrets: ["ghcr-pull", { name: "dockerhub" }] } },
  { name: "command-shell", values: { command: "npm run migrate && npm start" } },
  { name: "command-custom-shell", values: { command: "echo $HOME; exec ./server", shell: "/bin/bash" } },
  { name: "command-list", values: { command: ["/app/server", "--port", "8080"] } },
  {
    name: "pod-annotations-labels",
    values: {
      podAnnotations: { "prometheus.io/scrape": "true", "prometheus.io/port": "9090" },
      podLabels: { team: "checkout", tier: "web" },
    },
  },
  {
    name: "scheduling",
    values: {
      nodeSelector: { "kubernetes.io/arch": "arm64" },
      tolerations: [{ key: "dedicated", operator: "Equal", value: "shop", effect: "NoSchedule" }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: "pool", operator: "In", values: ["web"] }] }],
          },
        },
      },
      spreadAcrossNodes: true,
      replicas: 2,
    },
  },
  {
    name: "git-annotations",
    values: { gitSha: "4f2a9c1e8b", gitRepository: "acme/shop", gitBranch: "main", ingress: { host: "shop.acme.dev" } },
  },
  {
    name: "service-account-security-context",
    values: {
      serviceAccount: "shop",
      podSecurityContext: { runAsNonRoot: true, runAsUser: 1000 },
      securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
    },
  },
  { name: "pod-security-context-drop-default", values: { podSecurityContext: { fsGroup: null } } },
  {
    name: "service-annotations",
    values: {
      serviceAnnotations: { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" },
      loadbalancerEnabled: true,
    },
  },
  {
    name: "example-staging",
    values: {
      image: { repository: "ghcr.io/acme/shop", tag: "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39" },
      replicas: 1,
      containerPort: 8080,
      probe: { enabled: true, path: "/healthz" },
      ingress: {
        host: "shop.staging.acme.dev",
        tlsEnabled: true,
        annotations: { "cert-manager.io/cluster-issuer": "letsencrypt" },
      },
      vars: { NODE_ENV: "production", FEATURE_FLAGS: "checkout-v2" },
      gitSha: "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39",
      gitRepository: "acme/shop",
    },
  },
  {
    name: "example-production",
    manifest: { env: "production" },
    values: {
      image: { repository: "ghcr.io/acme/shop", tag: "v1.4.0" },
      replicas: 3,
      containerPort: 8080,
      probe: { enabled: true, path: "/healthz" },
      resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1", memory: "512Mi" } },
      ingress: { host: "shop.acme.dev", tlsEnabled: true },
      vars: { NODE_ENV: "production" },
      gitSha: "9a8b7c6d5e",
      gitRepository: "acme/shop",
    },
  },
];

function render(c: Case): K8sObject[] {
  return renderObjects(onechartManifest(c.values, c.manifest));
}

const byKind = (objects: K8sObject[], kind: string) => objects.filter((object) => object.kind === kind);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

describe("onechart renderer: golden files", () => {
  test("has at least 30 cases with unique names", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  test.each(cases.map((c) => [c.name, c] as const))("%s", (name, c) => {
    expectGolden(`render/onechart-${name}.yaml`, renderText(onechartManifest(c.values, c.manifest)));
  });
});

describe("onechart renderer: the objects are wired together", () => {
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const objects = render(c);
    const deployment = byKind(objects, "Deployment")[0] as Any;
    const pod = deployment.spec.template;
    const container = pod.spec.containers[0];
    const podLabels: Record<string, string> = pod.metadata.labels;
    const matches = (selector: Record<string, string>) =>
      Object.entries(selector).every(([key, value]) => podLabels[key] === value);

    expect(matches(deployment.spec.selector.matchLabels)).toBe(true);
    for (const label of [
      "app.kubernetes.io/name",
      "app.kubernetes.io/instance",
      "app.kubernetes.io/managed-by",
      "gimlet.io/app",
      "gimlet.io/env",
    ]) {
      expect(podLabels[label]).toBeDefined();
      for (const object of objects) expect(object.metadata.labels?.[label]).toBeDefined();
    }

    const service = byKind(objects, "Service")[0] as Any;
    expect(matches(service.spec.selector)).toBe(true);
    const containerPortNames = container.ports.map((port: Any) => port.name);
    for (const port of service.spec.ports) expect(containerPortNames).toContain(port.targetPort);

    const servicePorts = service.spec.ports.map((port: Any) => port.port);
    for (const ingress of byKind(objects, "Ingress") as Any[]) {
      for (const rule of ingress.spec.rules) {
        for (const path of rule.http.paths) {
          expect(path.backend.service.name).toBe(service.metadata.name);
          expect(servicePorts).toContain(path.backend.service.port.number);
        }
      }
    }
    for (const pdb of byKind(objects, "PodDisruptionBudget") as Any[])
      expect(matches(pdb.spec.selector.matchLabels)).toBe(true);

    const claims = byKind(objects, "PersistentVolumeClaim").map((pvc) => pvc.metadata.name);
    const configMaps = byKind(objects, "ConfigMap").map((cm) => cm.metadata.name);
    for (const volume of pod.spec.volumes ?? []) {
      if (volume.persistentVolumeClaim && !c.values?.volumes) throw new Error("unexpected claim");
      const own = (c.values?.volumes as Any[] | undefined)?.find((v) => v.name === volume.name);
      if (volume.persistentVolumeClaim && !own.existingClaim)
        expect(claims).toContain(volume.persistentVolumeClaim.claimName);
      if (volume.configMap && own.fileName) expect(configMaps).toContain(volume.configMap.name);
    }
    const mountNames = (container.volumeMounts ?? []).map((mount: Any) => mount.name);
    expect(mountNames).toEqual((pod.spec.volumes ?? []).map((volume: Any) => volume.name));

    for (const source of container.envFrom ?? []) {
      if (source.configMapRef?.name === deployment.metadata.name)
        expect(configMaps).toContain(source.configMapRef.name);
    }
    if (c.values?.vars) expect(pod.metadata.annotations["checksum/config"]).toMatch(/^[0-9a-f]{64}$/);
    for (const object of objects)
      if (c.manifest && "namespace" in c.manifest) expect(object.metadata.namespace).toBeUndefined();
  });
});

describe("onechart renderer: behaviour", () => {
  test("the config checksum changes with the vars and only with them", () => {
    const checksum = (vars: Record<string, string>, extra: Record<string, unknown> = {}) =>
      (byKind(renderObjects(onechartManifest({ vars, ...extra })), "Deployment")[0] as Any).spec.template.metadata
        .annotations["checksum/config"];
    expect(checksum({ A: "1" })).not.toBe(checksum({ A: "2" }));
    expect(checksum({ A: "1", B: "2" })).toBe(checksum({ B: "2", A: "1" }));
    expect(checksum({ A: "1" })).toBe(checksum({ A: "1" }, { replicas: 4 }));
  });

  test("rendering is deterministic and does not mutate the manifest", () => {
    const manifest = onechartManifest({
      vars: { B: "2", A: "1" },
      ingress: { host: "shop.acme.dev" },
      volumes: [{ name: "data", path: "/data" }],
    });
    const copy = JSON.parse(JSON.stringify(manifest));
    expect(renderText(manifest)).toBe(renderText(manifest));
    expect(manifest).toEqual(copy);
  });

  test("names are cut to 63 characters without a trailing dash", () => {
    const objects = renderObjects(
      onechartManifest(
        { ingresses: [{ host: "a-very-long-host-name-for-the-shop.preview.environments.acme.dev" }] },
        { app: `${"x".repeat(60)}-shop` },
      ),
    );
    for (const object of objects) {
      expect(object.metadata.name.length).toBeLessThanOrEqual(63);
      expect(object.metadata.name).not.toMatch(/-$/);
    }
  });
});
