import { describe, expect, test } from "@jest/globals";
import { ConfigError, type Problem } from "../errors.js";
import type { Manifest } from "../manifest/schema.js";
import { renderObjects } from "./index.js";

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

function problemsOf(manifest: Manifest): Problem[] {
  try {
    renderObjects(manifest);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("onechart values errors", () => {
  test("an unknown top-level key lists the supported keys", () => {
    const problems = problemsOf(onechartManifest({ replica: 2 }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe("values.replica");
    expect(problems[0]!.message).toMatch(
      /^unknown key; supported keys: image, replicas, strategy, containerPort, ports, /,
    );
  });

  test("an unknown nested key lists that object's keys", () => {
    expect(problemsOf(onechartManifest({ ingress: { host: "a.dev", tls: true } }))).toEqual([
      {
        path: "values.ingress.tls",
        message:
          "unknown key; supported keys: host, path, pathType, paths, tlsEnabled, secretName, ingressClassName, annotations",
      },
    ]);
  });

  test("every problem is reported at once, with its path", () => {
    const problems = problemsOf(
      onechartManifest({
        replicas: -1,
        containerPort: "8080",
        image: { pullPolicy: "Sometimes" },
        probe: { enabled: "yes" },
        ports: [{ name: "Web_Port", containerPort: 70000 }],
        vars: { "BAD KEY": "x", NESTED: { a: 1 } },
        resources: { requests: { cpu: "lots" } },
        volumes: [{ name: "data", path: "data" }],
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: "values.replicas", message: "must be at least 0" },
        { path: "values.containerPort", message: "must be a number" },
        { path: "values.image.pullPolicy", message: "must be Always, IfNotPresent or Never" },
        { path: "values.probe.enabled", message: "must be true or false" },
        {
          path: "values.ports[0].name",
          message: "must be a port name: at most 15 lowercase letters, digits and '-', with at least one letter",
        },
        { path: "values.ports[0].containerPort", message: "must be at most 65535" },
        { path: "values.vars.NESTED", message: "must be a string, number or boolean" },
        {
          path: "values.resources.requests.cpu",
          message: "must be a Kubernetes quantity such as 200m, 0.5 or 1Gi (or null to drop the default)",
        },
        { path: "values.volumes[0].path", message: "must be an absolute path" },
      ]),
    );
    expect(problems).toHaveLength(9);
  });

  test("a negative replicas count is refused before anything is rendered", () => {
    expect(() => renderObjects(onechartManifest({ replicas: -3 }))).toThrow("values.replicas: must be at least 0");
  });

  test("cross-field rules", () => {
    expect(problemsOf(onechartManifest({ nodePort: 30080 }))).toEqual([
      { path: "values.nodePort", message: "needs nodePortEnabled: true (or loadbalancerEnabled: true)" },
    ]);
    expect(problemsOf(onechartManifest({ nodePortEnabled: true, loadbalancerEnabled: true }))).toEqual([
      { path: "values.loadbalancerEnabled", message: "choose one of nodePortEnabled and loadbalancerEnabled" },
    ]);
    expect(
      problemsOf(onechartManifest({ volumes: [{ name: "a", path: "/a", emptyDir: true, existingClaim: "x" }] })),
    ).toEqual([{ path: "values.volumes[0]", message: "set only one of existingClaim, emptyDir" }]);
    expect(problemsOf(onechartManifest({ image: { repository: "nginx:1.25", tag: "1.26" } }))).toEqual([
      { path: "values.image.repository", message: "already has a tag or digest; remove it or remove image.tag" },
    ]);
    expect(problemsOf(onechartManifest({ podLabels: { "app.kubernetes.io/instance": "other" } }))).toEqual([
      { path: "values.podLabels.app.kubernetes.io/instance", message: "is set by gimlet and can't be overridden" },
    ]);
    expect(problemsOf(onechartManifest({ ports: [{ containerPort: 80 }], svcPort: 8080 }))).toEqual([
      { path: "values.svcPort", message: "applies to the single containerPort; with ports[] set svcPort on each port" },
    ]);
    expect(problemsOf(onechartManifest({ ingresses: [{ host: "a.dev" }, { host: "A.dev" }] }))).toEqual([
      { path: "values.ingresses[1].host", message: "gives the same Ingress name as another of ingresses[]" },
    ]);
    expect(problemsOf(onechartManifest({ ingress: { host: "https://shop.acme.dev/" } }))).toEqual([
      { path: "values.ingress.host", message: "must be a host name such as app.example.com (no scheme, port or path)" },
    ]);
  });

  test("a Service name that starts with a digit fails the Kubernetes name rules", () => {
    expect(problemsOf(onechartManifest(undefined, { app: "1shop" }))).toEqual([
      {
        path: "Service/1shop",
        message:
          'metadata.name: "1shop" must start with a letter and be a DNS label (Service names can\'t start with a digit)',
      },
    ]);
  });
});

describe("chart errors", () => {
  test("a chart repository that is neither https nor oci", () => {
    expect(
      problemsOf({ app: "w", env: "staging", chart: { repository: "git@github.com:acme/charts.git", name: "worker" } }),
    ).toEqual([
      {
        path: "chart.repository",
        message: '"git@github.com:acme/charts.git" must be an https:// Helm repository or an oci:// registry',
      },
    ]);
  });
});

describe("raw manifest errors", () => {
  test("documents without kind, apiVersion or name, and non-maps, name their index", () => {
    const manifests =
      "apiVersion: v1\nmetadata:\n  name: a\n---\n---\nkind: Secret\nmetadata: {}\n---\n- just\n- a list\n";
    expect(problemsOf(onechartManifest(undefined, { manifests }))).toEqual([
      { path: "manifests[0]", message: "missing kind" },
      { path: "manifests[2]", message: "missing apiVersion, metadata.name" },
      { path: "manifests[3]", message: "must be a Kubernetes object (a map with apiVersion, kind and metadata)" },
    ]);
  });

  test("invalid YAML", () => {
    const problems = problemsOf(onechartManifest(undefined, { manifests: "kind: [unclosed\n" }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe("manifests");
    expect(problems[0]!.message).toMatch(/^invalid YAML: /);
  });

  test("a raw object that duplicates a rendered one", () => {
    expect(
      problemsOf(
        onechartManifest(undefined, {
          manifests: "apiVersion: v1\nkind: Service\nmetadata:\n  name: shop\nspec:\n  ports: [{port: 80}]\n",
        }),
      ),
    ).toEqual([
      {
        path: "Service/shop/shop",
        message: "is rendered twice; rename one, or patch the rendered object instead of adding it",
      },
    ]);
  });

  test("schema validation failures name the object and the field", () => {
    const manifests = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  replicas: two
  selector: { matchLabels: { app: worker } }
  template:
    metadata: { labels: { app: worker } }
    spec:
      containers:
        - image: ghcr.io/acme/worker:1.0.0
          ports: [{ containerPort: "80" }]
`;
    expect(problemsOf(onechartManifest(undefined, { manifests }))).toEqual([
      { path: "Deployment/worker", message: "spec.replicas: must be integer" },
      { path: "Deployment/worker", message: "spec.template.spec.containers[0].name: is required" },
      {
        path: "Deployment/worker",
        message: "spec.template.spec.containers[0].ports[0].containerPort: must be integer",
      },
    ]);
  });

  test("an unknown kind (a CRD) passes with the minimal checks only", () => {
    const objects = renderObjects(
      onechartManifest(undefined, {
        manifests: "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  anything: [1, 2]\n",
      }),
    );
    expect(objects.find((o) => o.kind === "Widget")?.metadata.namespace).toBe("shop");
    expect(
      problemsOf(
        onechartManifest(undefined, {
          manifests: "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: Not_Valid\n",
        }),
      ),
    ).toEqual([
      {
        path: "Widget/Not_Valid",
        message: "metadata.name: \"Not_Valid\" must be a DNS subdomain: lowercase letters, digits, '-' and '.'",
      },
    ]);
  });
});

describe("patch errors", () => {
  test("a json6902 target that matches nothing names the patch and lists what was rendered", () => {
    expect(
      problemsOf(
        onechartManifest(undefined, {
          json6902Patches: [
            { target: { kind: "Deployment", name: "web" }, patch: [{ op: "remove", path: "/spec/replicas" }] },
          ],
        }),
      ),
    ).toEqual([
      {
        path: "json6902Patches[0].target",
        message: "no rendered object is Deployment/web (rendered: Deployment/shop/shop, Service/shop/shop)",
      },
    ]);
  });

  test("a failing operation names the patch and the operation", () => {
    const problems = problemsOf(
      onechartManifest(undefined, {
        json6902Patches: [
          {
            target: { kind: "Deployment", name: "shop" },
            patch: [
              { op: "replace", path: "/spec/replicas", value: 2 },
              { op: "test", path: "/spec/replicas", value: 3 },
            ],
          },
          { target: { kind: "Service", name: "shop" }, patch: [{ op: "remove", path: "/spec/ports/5" }] },
          { target: { kind: "Service", name: "shop" }, patch: "- op: jump\n  path: /x\n" },
          { target: { kind: "Service", name: "shop" }, patch: "op: add" },
        ],
      }),
    );
    expect(problems).toEqual([
      { path: "json6902Patches[0].patch[1]", message: 'test failed at "/spec/replicas": expected 3, found 2' },
      {
        path: "json6902Patches[1].patch[0]",
        message: '"/spec/ports/5": index 5 is out of bounds (the array has 1 items)',
      },
      { path: "json6902Patches[2].patch[0].op", message: expect.stringContaining("") },
      { path: "json6902Patches[3].patch", message: "must be a list of operations ({op, path, value})" },
    ]);
  });

  test("a json6902 patch that breaks the schema fails validation", () => {
    expect(
      problemsOf(
        onechartManifest(undefined, {
          json6902Patches: [
            {
              target: { kind: "Deployment", name: "shop" },
              patch: [{ op: "replace", path: "/spec/replicas", value: "two" }],
            },
          ],
        }),
      ),
    ).toEqual([{ path: "Deployment/shop", message: "spec.replicas: must be integer" }]);
  });

  test("a strategic merge patch that matches nothing, or names nothing", () => {
    expect(
      problemsOf(
        onechartManifest(undefined, {
          strategicMergePatches: "kind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n---\nspec: {}\n",
        }),
      ),
    ).toEqual([
      {
        path: "strategicMergePatches[0]",
        message: "no rendered object is Deployment/web (rendered: Deployment/shop/shop, Service/shop/shop)",
      },
      {
        path: "strategicMergePatches[1]",
        message: "must be a map with kind and metadata.name naming the object to patch",
      },
    ]);
  });

  test("an unknown $patch directive", () => {
    expect(
      problemsOf(
        onechartManifest(undefined, {
          strategicMergePatches: "kind: Service\nmetadata:\n  name: shop\nspec:\n  $patch: merge-ish\n",
        }),
      ),
    ).toEqual([{ path: "strategicMergePatches[0]", message: 'unknown $patch: "merge-ish" (use delete or replace)' }]);
  });
});
