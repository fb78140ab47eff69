import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { runGimlet } from "../helpers/cli.js";
import { tempDir } from "../helpers/gitRepos.js";

const CONFIG = `environments:
  production:
    repository: acme/gitops-production
    production: true
    namespaces: ["shop*"]
`;
const MANIFEST = `app: shop
env: production
namespace: shop
values: { image: { repository: ghcr.io/acme/shop, tag: "{{ .SHA }}" } }
`;
const BINDING = `manifests: |
  apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRoleBinding
  metadata: { name: shop-is-admin }
  roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
  subjects: [{ kind: ServiceAccount, name: default, namespace: shop }]
`;

function workspace(manifest: string): string {
  const cwd = tempDir("gimlet-cli-rules-");
  mkdirSync(join(cwd, ".gimlet"));
  mkdirSync(join(cwd, ".github"));
  writeFileSync(join(cwd, ".github", "gimlet.yml"), CONFIG);
  writeFileSync(join(cwd, ".gimlet", "production.yaml"), manifest);
  return cwd;
}

describe("the env's namespaces and clusterScoped in the CLI", () => {
  test("manifest lint --config refuses a ClusterRoleBinding with path: message; without it the manifest passes", async () => {
    const cwd = workspace(MANIFEST + BINDING);
    const refused = await runGimlet(["manifest", "lint", ".gimlet/production.yaml", "--config", ".github/gimlet.yml"], {
      cwd,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      ".gimlet/production.yaml: ClusterRoleBinding/shop-is-admin: ClusterRoleBinding is cluster-scoped; production allows no cluster-scoped objects (clusterScoped in .github/gimlet.yml)\n",
    );
    const ok = await runGimlet(["manifest", "lint", ".gimlet/production.yaml", "--config", ".github/gimlet.yml"], {
      cwd: workspace(MANIFEST),
    });
    expect(ok).toMatchObject({ code: 0, stdout: "ok  .gimlet/production.yaml  (production/shop)\n" });
  });

  test("manifest template --config refuses a namespace outside the env's globs", async () => {
    const cwd = workspace(MANIFEST.replace("namespace: shop", "namespace: kube-system"));
    writeFileSync(join(cwd, "ci.env"), "SHA=0123456789abcdef0123456789abcdef01234567\n");
    const result = await runGimlet(
      ["manifest", "template", "-f", ".gimlet/production.yaml", "--vars", "ci.env", "--config", ".github/gimlet.yml"],
      { cwd },
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")[0]).toBe(
      ".gimlet/production.yaml: Deployment/shop: namespace kube-system is not allowed in production (namespaces: shop*)",
    );
  });
});
