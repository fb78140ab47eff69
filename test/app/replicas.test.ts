import { rmSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@jest/globals";
import {
  actionsToken,
  api,
  exampleArtifact,
  exampleConfig,
  exampleManifests,
  shaOf,
  useApps,
  useFakeGitHub,
} from "../helpers/appHarness.js";
import { git, listTree, show, tempDir } from "../helpers/gitRepos.js";

const gh = useFakeGitHub();
const apps = useApps();
const GITOPS = "acme/gitops-staging";
const PER_INSTANCE = 5;

/** A staging.yaml artifact for its own app (`<prefix>-<n>`), as a monorepo's CI ships one per service. */
function artifactFor(app: string, n: number) {
  const staging = exampleManifests([".gimlet/staging.yaml"])[0]!;
  return exampleArtifact({ sha: shaOf(n), manifests: [{ ...staging, app }], message: `change ${n}` });
}

test("two app instances (own warm clones, one gitops repo) releasing different apps concurrently lose nothing", async () => {
  const shared = tempDir("gimlet-replicas-");
  try {
    const [a, b] = await Promise.all([apps.start({ root: shared }), apps.start({ root: shared })]);
    expect(a.bare(GITOPS)).toBe(join(shared, "gitops", "acme", "gitops-staging.git"));
    expect(b.bare(GITOPS)).toBe(a.bare(GITOPS));
    expect(a.services.deps.writer.clonePath({ repo: GITOPS })).not.toBe(
      b.services.deps.writer.clonePath({ repo: GITOPS }),
    );
    gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig });
    const token = await actionsToken(apps.oidc());

    const jobs = [a, b].flatMap((instance, i) =>
      Array.from({ length: PER_INSTANCE }, (_, k) => {
        const n = i * PER_INSTANCE + k + 1;
        return { instance, app: `${i === 0 ? "cart" : "search"}-${k + 1}`, n };
      }),
    );
    const responses = await Promise.all(
      jobs.map((job) => api(job.instance, "POST", "/api/artifacts", { token, body: artifactFor(job.app, job.n) })),
    );
    expect(responses.map((r) => r.status)).toEqual(jobs.map(() => 201));
    await Promise.all([a.waitIdle(), b.waitIdle()]);

    const bare = a.bare(GITOPS);
    const apps_ = jobs.map((j) => j.app).sort();
    expect(listTree(bare, "main", "staging").sort()).toEqual(apps_);
    const deployments = [...gh.current.deployments.values()];
    expect(deployments).toHaveLength(jobs.length);
    // one commit per release, none lost, none doubled
    expect(Number(git(bare, ["rev-list", "--count", "main"]))).toBe(jobs.length);
    const subjects = git(bare, ["log", "--format=%s", "main"]).split("\n").sort();
    expect(subjects).toEqual(
      jobs.map((j) => `[gimlet] staging/${j.app} deploy ${shaOf(j.n).slice(0, 7)} by policy`).sort(),
    );
    for (const job of jobs) {
      const release = JSON.parse(show(bare, "main", `staging/${job.app}/release.json`) ?? "{}");
      const deployment = deployments.find((d) => (d.payload as { app: string }).app === job.app);
      expect(release).toMatchObject({
        app: job.app,
        env: "staging",
        version: { sha: shaOf(job.n) },
      });
      // the deployment, created after the push, names the commit that wrote its release
      expect(deployment?.payload).toMatchObject({
        gitopsSha: git(bare, ["log", "-1", "--format=%H", "main", "--", `staging/${job.app}`]),
      });
      expect(show(bare, "main", `staging/${job.app}/deployment.yaml`)).toContain(`ghcr.io/acme/shop:${shaOf(job.n)}`);
      // each deployment's in_progress links the commit that wrote its release
      const statuses = gh.current.statuses.get(deployment?.id as number) ?? [];
      expect(statuses.map((s) => s.state)).toEqual(["in_progress"]);
      const linked = String(statuses[0]?.log_url).split("#")[1];
      expect(linked).toBe((deployment!.payload as { gitopsSha: string }).gitopsSha);
      expect(JSON.parse(show(bare, linked!, `staging/${job.app}/release.json`) ?? "{}").app).toBe(job.app);
    }
    // both instances really wrote (each released its own five)
    const stats = [a, b].map((instance) => instance.services.deps.writer.stats({ repo: GITOPS }));
    expect(stats.map((s) => s.commits)).toEqual([PER_INSTANCE, PER_INSTANCE]);
  } finally {
    rmSync(shared, { recursive: true, force: true });
  }
});
