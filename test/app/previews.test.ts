import { rmSync } from "node:fs";
import { describe, expect, test } from "@jest/globals";
import { sweepExpiredPreviews } from "../../app/previews/sweep.js";
import { parseGimletConfigYaml } from "../../shared/config/index.js";
import {
  deliver,
  exampleConfig,
  exampleManifestFiles,
  shaOf,
  useApps,
  useFakeGitHub,
  webhookExample,
} from "../helpers/appHarness.js";
import {
  COMMENTER,
  commentPayload,
  gitopsSubjects,
  HEAD,
  PR,
  prArtifact,
  REPO,
  replies,
  shipPrArtifact,
  shipper,
} from "../helpers/commands.js";
import { listTree, show, tempDir } from "../helpers/gitRepos.js";

const gh = useFakeGitHub();
const apps = useApps();
const PREVIEW_FILES = [".gimlet/preview.yaml", ".gimlet/staging.yaml"];
const HEAD2 = shaOf(4242);

async function setup(root?: string) {
  const app = await apps.start({ tokens: [shipper.record], ...(root ? { root } : {}) });
  gh.current.serve(REPO, { ".github/gimlet.yml": exampleConfig, ...exampleManifestFiles });
  return app;
}

const previewComments = () => replies(gh.current).filter((body) => body.startsWith("<!-- gimlet:previews -->"));

/** A real `pull_request.closed` payload, moved onto PR #7 of acme/shop. */
function closedPayload(merged = false) {
  const payload = webhookExample("pull_request", (p) => p.action === "closed" && Boolean(p.installation));
  Object.assign(payload.pull_request, { number: PR, merged });
  payload.pull_request.head.ref = `feature/${PR}`;
  Object.assign(payload.repository, { full_name: REPO, name: "shop", default_branch: "main" });
  payload.repository.owner.login = "acme";
  payload.number = PR;
  return payload;
}

/** A real `delete` payload, turned into the deletion of branch feature/<PR>. */
function deletePayload(branch = `feature/${PR}`) {
  const payload = webhookExample("delete", (p) => Boolean(p.installation));
  Object.assign(payload, { ref: branch, ref_type: "branch" });
  Object.assign(payload.repository, { full_name: REPO, name: "shop", default_branch: "main" });
  payload.repository.owner.login = "acme";
  return payload;
}

describe("preview environments, whole lifecycle", () => {
  test("PR artifact → preview + one comment; second push → the same comment edited; PR closed → folder deleted, deployments inactive, comment says why", async () => {
    const app = await setup();
    const bare = app.bare("acme/gitops-staging");
    await shipPrArtifact(app, prArtifact(HEAD, PREVIEW_FILES));
    await app.waitIdle();
    expect(listTree(bare, "main", "staging")).toEqual(["shop-pr-7"]);
    expect(previewComments()).toHaveLength(1);
    expect(previewComments()[0]).toMatch(
      /\| `shop-pr-7` \| staging \| `7e57ab1` \| committed `[0-9a-f]{7}` \| https:\/\/shop-pr-7\.staging\.acme\.dev \|/,
    );

    await shipPrArtifact(app, prArtifact(HEAD2, PREVIEW_FILES));
    await app.waitIdle();
    expect(previewComments()).toHaveLength(1);
    expect(previewComments()[0]).toContain(`| \`shop-pr-7\` | staging | \`${HEAD2.slice(0, 7)}\` | committed`);
    expect(gh.current.find("POST", `/repos/${REPO}/issues/${PR}/comments`)).toHaveLength(1);
    const deployments = [...gh.current.deployments.keys()];
    expect(deployments).toHaveLength(2);

    expect((await deliver(app, "pull_request", closedPayload())).status).toBe(200);
    await app.waitIdle();
    expect(gitopsSubjects(bare)[0]).toBe("[gimlet] staging/shop-pr-7 delete (PR #7 closed)");
    expect(show(bare, "main", "staging/shop-pr-7/release.json")).toBeUndefined();
    for (const id of deployments) {
      const statuses = gh.current.statuses.get(id) ?? [];
      expect(statuses.at(-1)).toMatchObject({ state: "inactive", description: "Removed: PR #7 closed" });
    }
    expect(previewComments()).toHaveLength(1);
    expect(previewComments()[0]).toContain(
      `| \`shop-pr-7\` | staging | \`${HEAD2.slice(0, 7)}\` | 🗑️ removed: PR #7 closed | ~~https://shop-pr-7.staging.acme.dev~~ |`,
    );
  });

  test("a deleted branch removes the preview of its PR (found through the API)", async () => {
    const app = await setup();
    gh.current.pull(REPO, PR, HEAD, { head: { sha: HEAD, ref: `feature/${PR}`, repo: { full_name: REPO } } });
    await shipPrArtifact(app, prArtifact(HEAD, PREVIEW_FILES));
    await app.waitIdle();
    expect((await deliver(app, "delete", deletePayload())).status).toBe(200);
    await app.waitIdle();
    const bare = app.bare("acme/gitops-staging");
    expect(gitopsSubjects(bare)[0]).toBe("[gimlet] staging/shop-pr-7 delete (branch feature/7 deleted)");
    expect(previewComments()[0]).toContain("🗑️ removed: branch feature/7 deleted");
  });

  test("the cleanup policy of a non-preview manifest runs on branch deletion; other repositories' apps are never touched", async () => {
    const app = await setup();
    const branchApp =
      'app: shop-{{ .BRANCH | sanitizeDNSName }}\nenv: staging\nnamespace: shop\ncleanup:\n  event: branchDeleted\n  branch: "feature/*"\n  app: "shop-{{ .BRANCH | sanitizeDNSName }}"\nchart:\n  repository: https://chart.onechart.dev\n  name: onechart\n  version: 0.73.0\n';
    gh.current.serve(REPO, { ".gimlet/branch.yaml": branchApp });
    const { writer } = app.services.deps;
    const release = (repositoryName: string) => ({
      artifactId: "a1",
      triggeredBy: "policy",
      version: { sha: HEAD, repositoryName },
    });
    const files = [{ path: "configmap.yaml", content: "kind: ConfigMap\n" }];
    await writer.deploy({
      repo: "acme/gitops-staging",
      path: "staging",
      env: "staging",
      app: "shop-feature-x",
      files,
      release: release(REPO),
    });
    await writer.deploy({
      repo: "acme/gitops-staging",
      path: "staging",
      env: "staging",
      app: "shop-feature-y",
      files,
      release: release("acme/other"),
    });
    expect((await deliver(app, "delete", deletePayload("feature/x"))).status).toBe(200);
    expect((await deliver(app, "delete", deletePayload("feature/y"))).status).toBe(200);
    await app.waitIdle();
    const bare = app.bare("acme/gitops-staging");
    expect(gitopsSubjects(bare)[0]).toBe(
      "[gimlet] staging/shop-feature-x delete (branch feature/x deleted, cleanup policy)",
    );
    expect(listTree(bare, "main", "staging")).toEqual(["shop-feature-y"]);
  });

  test("a repository without a Gimlet configuration: PR closes and branch deletions are a no-op, not a failed delivery", async () => {
    const app = await apps.start();
    expect((await deliver(app, "pull_request", closedPayload())).status).toBe(200);
    expect((await deliver(app, "delete", deletePayload())).status).toBe(200);
    // only reads (and the installation token to make them): no comment, no status, no deployment
    expect(gh.current.calls.filter((c) => c.method !== "GET" && !c.path.endsWith("/access_tokens"))).toEqual([]);
  });

  test("a lock taken by /gimlet lock is released when its PR is merged", async () => {
    const app = await setup();
    gh.current.pull(REPO, PR, HEAD);
    gh.current.permissions.set(`${REPO}:${COMMENTER}`, "write");
    expect((await deliver(app, "issue_comment", commentPayload("/gimlet lock staging demo day"))).status).toBe(200);
    await app.waitIdle();
    const bare = app.bare("acme/gitops-staging");
    expect(show(bare, "main", "staging/.gimlet/lock.json")).toContain(`"source": "${REPO}#${PR}"`);
    expect((await deliver(app, "pull_request", closedPayload(true))).status).toBe(200);
    await app.waitIdle();
    expect(show(bare, "main", "staging/.gimlet/lock.json")).toBeUndefined();
    expect(gitopsSubjects(bare)[0]).toBe(`[gimlet] staging unlock by gimlet (${REPO}#${PR} closed)`);
  });
});

describe("the TTL sweep", () => {
  test("two instances sweeping at once remove an expired preview with one delete commit; a fresh one stays", async () => {
    const shared = tempDir("gimlet-sweep-");
    try {
      const a = await setup(shared);
      const b = await setup(shared);
      await shipPrArtifact(a, prArtifact(HEAD, PREVIEW_FILES));
      await shipPrArtifact(a, prArtifact(HEAD2, PREVIEW_FILES, 8));
      await a.waitIdle();
      const bare = a.bare("acme/gitops-staging");
      expect(listTree(bare, "main", "staging")).toEqual(["shop-pr-7", "shop-pr-8"]);
      // PR 7's release is 80h old (cleanup.ttl is 72h); PR 8's is new
      const created = JSON.parse(show(bare, "main", "staging/shop-pr-7/release.json") ?? "{}").created as string;
      const later = new Date(Date.parse(created) + 80 * 3_600_000);
      const age = (app: typeof a) => ({ ...app.services, deps: { ...app.services.deps, clock: { now: () => later } } });
      const young = JSON.parse(show(bare, "main", "staging/shop-pr-8/release.json") ?? "{}");
      await a.services.deps.writer.deploy({
        repo: "acme/gitops-staging",
        path: "staging",
        env: "staging",
        app: "shop-pr-8",
        files: [{ path: "configmap.yaml", content: "kind: ConfigMap\n" }],
        release: { ...young, created: new Date(later.getTime() - 3_600_000).toISOString() },
      });
      const sources = [{ repository: REPO, config: parseGimletConfigYaml(exampleConfig) }];
      const [ra, rb] = await Promise.all([
        sweepExpiredPreviews(age(a), sources),
        sweepExpiredPreviews(age(b), sources),
      ]);
      await Promise.all([a.waitIdle(), b.waitIdle()]);
      // one replica's commit removed it; the other found it gone (no second commit, no second report)
      expect([...ra, ...rb].map((r) => r.decision).sort()).toEqual(["deleted", "not_deployed"]);
      const deletes = gitopsSubjects(bare).filter((s) => s.includes(" delete "));
      expect(deletes).toEqual(["[gimlet] staging/shop-pr-7 delete (no new commit for 72h (cleanup.ttl))"]);
      expect(listTree(bare, "main", "staging")).toEqual(["shop-pr-8"]);
      expect(previewComments()[0]).toContain("🗑️ removed: no new commit for 72h (cleanup.ttl)");
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });
});
