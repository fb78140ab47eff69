import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import type { Manifest } from "../../shared/manifest/index.js";
import {
  type AppHarness,
  actionsToken,
  api,
  deliver,
  exampleArtifact,
  useApps,
  useFakeGitHub,
  webhookExample,
} from "../helpers/appHarness.js";
import { git } from "../helpers/gitRepos.js";
import {
  gitopsRefs,
  ORG_CONFIG,
  productionManifest,
  orgSetup as setUpOrg,
  TRUSTED_PRODUCTION,
} from "../helpers/trustFixtures.js";

const gh = useFakeGitHub();
const apps = useApps();

const CLUSTER_ADMIN = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: shop-is-admin }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: ServiceAccount, name: default, namespace: shop }]
`;

/** An artifact of `repository` built on `branch` (the OIDC token says the same ref). */
async function ship(app: AppHarness, manifests: Manifest[], branch = "main", repository = "acme/shop", sha?: string) {
  const artifact = exampleArtifact({ manifests, repository, ...(sha ? { sha } : {}) });
  artifact.version.branch = branch;
  const token = await actionsToken(apps.oidc(), repository, { ref: `refs/heads/${branch}` });
  const response = await api(app, "POST", "/api/artifacts", { token, body: artifact });
  await app.waitIdle();
  return { response, token };
}

const deploymentsTo = (env: string) => [...gh.current.deployments.values()].filter((d) => d.environment === env);
const checkRunText = () => JSON.stringify(gh.current.checkRuns.at(-1));

const orgSetup = (repoFiles: Record<string, string> = {}) => setUpOrg(gh.current, repoFiles);

describe("attack: a feature branch deploys itself to production", () => {
  test("the artifact's own policy (branch: feat-*) is not the one that decides; main still deploys", async () => {
    const app = await apps.start();
    orgSetup();
    const before = gitopsRefs(app);
    const { response } = await ship(
      app,
      [productionManifest({ deploy: { event: "push", branch: "feat-*" } })],
      "feat-x",
    );
    expect(response.status).toBe(201);
    expect(response.body.decisions).toEqual([
      expect.objectContaining({ env: "production", deploy: false, reasonCode: "branch_mismatch" }),
    ]);
    expect(response.body.decisions[0].reason).toContain(
      "policy from acme/shop@main:.gimlet/production.yaml, not the artifact's copy",
    );
    expect(checkRunText()).toContain("policy from acme/shop@main:.gimlet/production.yaml");
    expect(deploymentsTo("production")).toEqual([]);
    expect(gitopsRefs(app)).toEqual(before);

    // the legitimate path: a push to main deploys by the same trusted policy
    const legit = await ship(app, [productionManifest()], "main");
    expect(legit.response.body.decisions).toEqual([
      expect.objectContaining({ env: "production", deploy: true, reasonCode: "matched" }),
    ]);
    expect(deploymentsTo("production")).toHaveLength(1);
    expect(git(app.bare("acme/gitops-production"), ["log", "--format=%s", "main"])).toMatch(
      /^\[gimlet\] production\/shop deploy/,
    );
  });

  test("a trusted policy that takes every branch still refuses refs production does not take: branch_not_allowed", async () => {
    const app = await apps.start();
    orgSetup();
    gh.current.serve(
      "acme/shop",
      { ".gimlet/production.yaml": TRUSTED_PRODUCTION.replace("branch: main", 'branch: "*"') },
      "main",
    );
    const before = gitopsRefs(app);
    const { response } = await ship(app, [productionManifest({ deploy: { event: "push", branch: "*" } })], "feat-x");
    expect(response.body.decisions).toEqual([
      expect.objectContaining({ env: "production", deploy: false, reasonCode: "branch_not_allowed" }),
    ]);
    expect(response.body.decisions[0].reason).toMatch(
      /^artifacts of feat-x are not deployed to production by policy: it is production: only main/,
    );
    expect(deploymentsTo("production")).toEqual([]);
    expect(gitopsRefs(app)).toEqual(before);
  });

  test("without an organisation file, production still refuses policy deploys from other branches", async () => {
    const app = await apps.start();
    gh.current.serve("acme/shop", {
      ".github/gimlet.yml": ORG_CONFIG.replace("    repositories: [acme/shop]\n", ""),
    });
    gh.current.serve(
      "acme/shop",
      { ".gimlet/production.yaml": TRUSTED_PRODUCTION.replace("branch: main", 'branch: "*"') },
      "main",
    );
    const before = gitopsRefs(app);
    const { response } = await ship(app, [productionManifest({ deploy: { event: "push", branch: "*" } })], "feat-x");
    expect(response.body.decisions[0]).toMatchObject({ deploy: false, reasonCode: "branch_not_allowed" });
    expect(deploymentsTo("production")).toEqual([]);
    expect(gitopsRefs(app)).toEqual(before);
  });
});

describe("attack: a manifest puts cluster-wide objects in the cluster", () => {
  test("a ClusterRoleBinding in raw manifests is refused with path: message; the same app without it deploys", async () => {
    const app = await apps.start();
    orgSetup();
    const before = gitopsRefs(app);
    const { response } = await ship(app, [productionManifest({ manifests: CLUSTER_ADMIN })]);
    expect(response.body.decisions[0]).toMatchObject({
      env: "production",
      deploy: false,
      reasonCode: "object_not_allowed",
      reason:
        "ClusterRoleBinding/shop-is-admin: ClusterRoleBinding is cluster-scoped; production allows no cluster-scoped objects (clusterScoped in .github/gimlet.yml)",
    });
    expect(deploymentsTo("production")).toEqual([]);
    expect(gitopsRefs(app)).toEqual(before);

    const legit = await ship(app, [productionManifest()]);
    expect(legit.response.body.decisions[0]).toMatchObject({ deploy: true });
    expect(deploymentsTo("production")).toHaveLength(1);
  });

  test("a patch that moves an object to another namespace is refused (namespaces: shop*)", async () => {
    const app = await apps.start();
    orgSetup();
    const before = gitopsRefs(app);
    const moved = productionManifest({
      json6902Patches: [
        {
          target: { kind: "Deployment", name: "shop" },
          patch: [{ op: "replace", path: "/metadata/namespace", value: "kube-system" }],
        },
      ],
    } as Partial<Manifest>);
    const { response } = await ship(app, [moved]);
    expect(response.body.decisions[0]).toMatchObject({
      deploy: false,
      reasonCode: "object_not_allowed",
      reason: "Deployment/shop: namespace kube-system is not allowed in production (namespaces: shop*)",
    });
    expect(deploymentsTo("production")).toEqual([]);
    expect(gitopsRefs(app)).toEqual(before);
  });
});

describe("attack: a repository writes to a gitops repository it was not given", () => {
  test("a repository file that moves an organisation environment is a config error; nothing is written", async () => {
    const app = await apps.start();
    orgSetup({
      ".github/gimlet.yml": "environments:\n  production:\n    repository: evil/loot\n    deployers: [mallory]\n",
    });
    const before = gitopsRefs(app);
    const { response } = await ship(app, [productionManifest()]);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("config_invalid");
    expect(response.body.error.details).toEqual([
      {
        path: "acme/shop:.github/gimlet.yml: environments.production.repository",
        message:
          "the organisation's environment production lives at \"acme/gitops-production\" (acme/.github:.github/gimlet.yml); a repository can't move it",
      },
    ]);
    expect(gh.current.deployments.size).toBe(0);
    expect(gitopsRefs(app)).toEqual(before);
    expect(existsSync(join(app.root, "gitops", "evil"))).toBe(false);
  });

  test("an environment of the repository's own can't point at an organisation environment's gitops repository", async () => {
    const app = await apps.start();
    orgSetup({ ".github/gimlet.yml": "environments:\n  sneaky:\n    repository: acme/gitops-production\n" });
    const { response } = await ship(app, [productionManifest({ env: "sneaky" })]);
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].path).toBe("acme/shop:.github/gimlet.yml: environments.sneaky.repository");
    expect(gh.current.deployments.size).toBe(0);
  });

  test("a repository the organisation environment does not list: repository_not_allowed, by policy and by API release", async () => {
    const app = await apps.start();
    orgSetup();
    gh.current.serve("acme/other", { ".gimlet/production.yaml": TRUSTED_PRODUCTION }, "main");
    const before = gitopsRefs(app);
    const { response, token } = await ship(app, [productionManifest()], "main", "acme/other");
    expect(response.status).toBe(201);
    expect(response.body.decisions[0]).toMatchObject({
      deploy: false,
      reasonCode: "repository_not_allowed",
      reason: expect.stringMatching(/^acme\/other may not deploy to production: its repositories are acme\/shop/),
    });
    const manual = await api(app, "POST", "/api/releases", {
      token,
      body: { env: "production", artifactId: response.body.id },
    });
    expect(manual.status).toBe(409);
    expect(manual.body.error).toMatchObject({ code: "policy_denied", reasonCode: "repository_not_allowed" });
    await app.waitIdle();
    expect(gh.current.deployments.size).toBe(0);
    expect(gitopsRefs(app)).toEqual(before);

    // the repository it lists deploys
    const legit = await ship(app, [productionManifest()], "main", "acme/shop");
    expect(legit.response.body.decisions[0]).toMatchObject({ deploy: true });
    expect(deploymentsTo("production")).toHaveLength(1);
  });

  test("GIMLET_REQUIRE_ORG_CONFIG: without a readable organisation file nothing deploys (fail closed)", async () => {
    const app = await apps.start({ requireOrgConfig: true });
    gh.current.serve("acme/shop", { ".github/gimlet.yml": ORG_CONFIG });
    const before = gitopsRefs(app);
    const { response } = await ship(app, [productionManifest({ env: "staging" })]);
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([
      {
        path: "acme/.github:.github/gimlet.yml",
        message:
          "required (GIMLET_REQUIRE_ORG_CONFIG) but missing or not readable: install the app on the .github repository",
      },
    ]);
    expect(gh.current.deployments.size).toBe(0);
    expect(gitopsRefs(app)).toEqual(before);
    // with the organisation's file in place the same artifact deploys
    gh.current.serve("acme/.github", { ".github/gimlet.yml": ORG_CONFIG });
    app.services.configs.invalidate("acme/.github");
    expect((await ship(app, [productionManifest({ env: "staging" })])).response.body.decisions[0]).toMatchObject({
      deploy: true,
    });
  });

  test("a repository file that narrows (url, namespaces) is taken", async () => {
    const app = await apps.start();
    orgSetup({
      ".github/gimlet.yml": "environments:\n  production:\n    namespaces: [shop]\n    url: https://shop.acme.dev\n",
    });
    const { response } = await ship(app, [productionManifest()]);
    expect(response.body.decisions[0]).toMatchObject({ deploy: true });
    const [deployment] = deploymentsTo("production");
    expect(gh.current.statuses.get(deployment!.id)?.at(-1)?.environment_url).toBe("https://shop.acme.dev");
  });
});

describe("a signed push webhook that widens an organisation environment", () => {
  test("the gimlet/config check run fails with path: message; a narrowing file passes", async () => {
    const app = await apps.start();
    const payload = webhookExample(
      "push",
      (p) => Boolean(p.installation) && p.ref === "refs/heads/master" && p.commits.length > 0,
    );
    payload.commits[0].modified = [".github/gimlet.yml"];
    const repo = payload.repository.full_name as string;
    const owner = repo.split("/")[0];
    gh.current.serve(`${owner}/.github`, { ".github/gimlet.yml": ORG_CONFIG });
    gh.current.serve(
      repo,
      { ".github/gimlet.yml": 'environments:\n  production:\n    branches: ["*"]\n' },
      payload.after,
    );
    expect((await deliver(app, "push", payload)).status).toBe(200);
    const [failed] = gh.current.checkRuns;
    expect(failed).toMatchObject({ name: "gimlet/config", conclusion: "failure" });
    expect(JSON.stringify(failed)).toContain(
      "- `.github/gimlet.yml: environments.production.branches`: the organisation's production is production and takes policy deploys from the default branch only",
    );

    payload.after = "1".repeat(40);
    gh.current.serve(
      repo,
      { ".github/gimlet.yml": "environments:\n  production:\n    namespaces: [shop]\n" },
      payload.after,
    );
    expect((await deliver(app, "push", payload)).status).toBe(200);
    expect(gh.current.checkRuns[1]).toMatchObject({ name: "gimlet/config", conclusion: "success" });
  });
});
