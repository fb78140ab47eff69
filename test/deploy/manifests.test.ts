import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { loadAll } from "js-yaml";
import { serverEnvSchema } from "../../app/env.js";
import { agentEnvSchema } from "../../plugins/flux-agent/config.js";
import { watchedResources } from "../../plugins/flux-agent/resources.js";
import { hasSchema, validateObjects } from "../../shared/render/validate.js";

type Obj = Record<string, any>;

/** Every Kubernetes object of a folder's YAML files (kustomize's own kustomization.yaml is not one). */
function objectsIn(folder: string): Obj[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
    .sort()
    .flatMap((f) => loadAll(readFileSync(join(folder, f), "utf8")) as Obj[])
    .filter(Boolean);
}
const find = (objects: Obj[], kind: string, name?: string): Obj => {
  const found = objects.find((o) => o.kind === kind && (!name || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ""}`);
  return found;
};
const kustomizationResources = (folder: string): string[] =>
  (loadAll(readFileSync(join(folder, "kustomization.yaml"), "utf8"))[0] as { resources: string[] }).resources;

describe.each([["deploy/app"], ["plugins/flux-agent/deploy"]])("%s", (folder) => {
  test("every object has a schema and validates against it", () => {
    const objects = objectsIn(folder);
    expect(objects.length).toBeGreaterThan(3);
    for (const o of objects)
      expect(`${o.apiVersion}/${o.kind} ${hasSchema(o.apiVersion, o.kind)}`).toBe(`${o.apiVersion}/${o.kind} true`);
    expect(() => validateObjects(objects as never)).not.toThrow();
  });

  test("kustomization.yaml lists files that exist", () => {
    const files = readdirSync(folder);
    for (const resource of kustomizationResources(folder)) expect(files).toContain(resource);
  });
});

test("a broken object is caught by the same validation", () => {
  const deployment = structuredClone(find(objectsIn("deploy/app"), "Deployment"));
  deployment.spec.replicas = "two";
  delete deployment.spec.selector;
  expect(() => validateObjects([deployment] as never)).toThrow(/spec must have required property 'selector'|selector/);
});

test("the app: two replicas at least, probes on /healthz, a PDB, an HPA, a Service and an Ingress that reach its pods", () => {
  const objects = objectsIn("deploy/app");
  const deployment = find(objects, "Deployment", "gimlet");
  const podLabels = deployment.spec.template.metadata.labels;
  const container = deployment.spec.template.spec.containers[0];
  expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
  expect(container.readinessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
  expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
  expect(deployment.spec.template.metadata.annotations).toMatchObject({
    "prometheus.io/scrape": "true",
    "prometheus.io/port": "3000",
    "prometheus.io/path": "/metrics",
  });
  // The work dir is an emptyDir mounted where GIMLET_WORK_DIR points.
  const env = Object.fromEntries(container.env.map((e: Obj) => [e.name, e.value ?? e.valueFrom]));
  const work = container.volumeMounts.find((m: Obj) => m.mountPath === env.GIMLET_WORK_DIR);
  expect(deployment.spec.template.spec.volumes.find((v: Obj) => v.name === work.name).emptyDir).toBeDefined();
  // Every plain env value is one the server accepts.
  const plain = Object.fromEntries(
    container.env.filter((e: Obj) => typeof e.value === "string").map((e: Obj) => [e.name, e.value]),
  );
  expect(serverEnvSchema.safeParse(plain).success).toBe(true);
  // Secrets: the App key (as the file PRIVATE_KEY_PATH names), the webhook secret, the Flux secret, agent tokens.
  const secretKeys = objects.filter((o) => o.kind === "Secret").flatMap((s) => Object.keys(s.stringData));
  expect(secretKeys).toEqual(
    expect.arrayContaining([
      "APP_ID",
      "private-key.pem",
      "WEBHOOK_SECRET",
      "FLUX_WEBHOOK_SECRET",
      "GIMLET_AGENT_TOKENS",
    ]),
  );
  expect(env.PRIVATE_KEY_PATH).toBe("/etc/gimlet/github/private-key.pem");

  const pdb = find(objects, "PodDisruptionBudget");
  expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
  expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
  const hpa = find(objects, "HorizontalPodAutoscaler");
  expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "gimlet" });
  expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
  const service = find(objects, "Service");
  expect(podLabels).toMatchObject(service.spec.selector);
  expect(container.ports.map((p: Obj) => p.name)).toContain(service.spec.ports[0].targetPort);
  const ingress = find(objects, "Ingress");
  expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: "gimlet", port: { name: "http" } });
  // The app's objects live in its namespace; the Flux objects in flux-system of each cluster.
  for (const o of objects.filter((x) => x.metadata.namespace))
    expect(o.metadata.namespace).toBe(
      o.metadata.name === "gimlet-webhook" || o.apiVersion.includes("fluxcd") ? "flux-system" : "gimlet",
    );

  const flux = objectsIn("deploy/app").filter((o) => o.apiVersion.startsWith("notification.toolkit.fluxcd.io"));
  expect(flux.map((o) => o.kind).sort()).toEqual(["Alert", "Provider"]);
  expect(find(flux, "Provider").spec).toMatchObject({ type: "generic-hmac", secretRef: { name: "gimlet-webhook" } });
  expect(find(flux, "Provider").spec.address).toMatch(/\/api\/flux-events\?repository=[^&]+\/[^&]+&env=/);
});

test("the agent: read-only RBAC on exactly what it watches, plus pods/log; its env passes its own schema", () => {
  const objects = objectsIn("plugins/flux-agent/deploy");
  const role = find(objects, "ClusterRole");
  const granted = role.rules.flatMap((r: Obj) =>
    r.apiGroups.flatMap((g: string) =>
      r.resources.map((res: string) => `${g}/${res} ${[...r.verbs].sort().join(",")}`),
    ),
  );
  const watched = watchedResources.map((r) => {
    const [, group, resource] = /^\/(?:apis\/([^/]+)\/[^/]+|api\/v1)\/(\w+)$/.exec(r.path) ?? [];
    return `${group ?? ""}/${resource} get,list,watch`;
  });
  expect(granted.sort()).toEqual([...watched, "/pods/log get"].sort());
  const binding = find(objects, "ClusterRoleBinding");
  const account = find(objects, "ServiceAccount");
  expect(binding.subjects).toEqual([
    { kind: "ServiceAccount", name: account.metadata.name, namespace: account.metadata.namespace },
  ]);
  const deployment = find(objects, "Deployment");
  expect(deployment.spec.template.spec.serviceAccountName).toBe(account.metadata.name);
  const container = deployment.spec.template.spec.containers[0];
  const env: Record<string, string> = Object.fromEntries(
    container.env.map((e: Obj) => [e.name, e.value ?? "x".repeat(32)]),
  );
  expect(agentEnvSchema.safeParse(env).success).toBe(true);
  const secret = find(objects, "Secret");
  const ref = container.env.find((e: Obj) => e.name === "GIMLET_AGENT_TOKEN").valueFrom.secretKeyRef;
  expect(ref.name).toBe(secret.metadata.name);
  expect(Object.keys(secret.stringData)).toContain(ref.key);
});
