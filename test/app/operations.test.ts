import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import {
  actionsToken,
  api,
  deliver,
  exampleArtifact,
  exampleConfig,
  exampleManifestFiles,
  exampleManifests,
  fluxEvent,
  postFlux,
  SHA,
  SHA2,
  tipOf,
  useApps,
  useFakeGitHub,
  webhookExample,
} from "../helpers/appHarness.js";
import { git, listTree } from "../helpers/gitRepos.js";

const gh = useFakeGitHub();
const apps = useApps();
const GITOPS = "acme/gitops-staging";

const metricValue = (text: string, line: string) => {
  const found = text.split("\n").find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
};

describe("operations", () => {
  test("/healthz → 200; /metrics → Prometheus text with the gimlet metrics", async () => {
    const app = await apps.start();
    const health = await api(app, "GET", "/healthz");
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: "ok" });
    expect((await api(app, "GET", "/ping")).text).toBe("PONG"); // Probot's own route still answers

    gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig });
    const push = webhookExample("push", (p) => Boolean(p.installation) && p.commits?.length > 0);
    push.commits[0].modified = [".gimlet/staging.yaml"];
    gh.current.serve(
      push.repository.full_name,
      { ".github/gimlet.yml": exampleConfig, ...exampleManifestFiles },
      push.after,
    );
    expect((await deliver(app, "push", push)).status).toBe(200);
    expect(
      (
        await api(app, "POST", "/api/artifacts", {
          token: await actionsToken(apps.oidc()),
          body: exampleArtifact({ files: [".gimlet/staging.yaml"] }),
        })
      ).status,
    ).toBe(201);
    await app.waitIdle();

    const response = await fetch(`${app.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const name of [
      "gimlet_webhooks_received_total",
      "gimlet_artifacts_accepted_total",
      "gimlet_releases_total",
      "gimlet_gitops_push_retries_total",
      "gimlet_deploy_latency_seconds",
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(metricValue(text, 'gimlet_webhooks_received_total{event="push"}')).toBe(1);
    expect(metricValue(text, "gimlet_artifacts_accepted_total")).toBe(1);
    expect(metricValue(text, 'gimlet_releases_total{trigger="policy",outcome="committed"}')).toBe(1);
    expect(metricValue(text, "gimlet_gitops_push_retries_total")).toBe(0);
    expect(metricValue(text, "gimlet_deploy_latency_seconds_count")).toBe(1);
    expect(text).toMatch(/gimlet_http_request_duration_seconds_count\{route="\/api\/artifacts",status="201"\} 1/);
  });

  // One policy deploy: one artifact with one manifest, on a fresh replica (no cached installation, token or config),
  // artifact accepted → gitops commit pushed → deployment + in_progress → Flux applied (success). Write budget
  // (DESIGN §8): at most 5 writes from artifact to success; before commit-first it was 7 (artifact file, deployment,
  // queued, check run, in_progress, check-run update, success).
  test("a policy deploy costs 5 GitHub writes; a warm replica reads only to settle; rollback 2, Flux success 1", async () => {
    const app = await apps.start();
    gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig });
    const token = await actionsToken(apps.oidc());
    expect(
      (await api(app, "POST", "/api/artifacts", { token, body: exampleArtifact({ files: [".gimlet/staging.yaml"] }) }))
        .status,
    ).toBe(201);
    await app.waitIdle();
    const [id] = gh.current.deployments.keys();
    const [checkRun] = gh.current.checkRuns;
    const throughPush = gh.current.lines();
    expect(throughPush.slice(0, 7)).toEqual([
      "GET /repos/acme/shop/installation", // app JWT: which installation serves acme/shop
      "POST /app/installations/4242/access_tokens", // its token
      "GET /repos/acme/.github/contents/.github/gimlet.yml", // the organisation's config, read beside it (DESIGN §7)
      "GET /repos/acme/shop/contents/.github/gimlet.yml", // config (cached 60 s afterwards)
      // the gitops commit is pushed here, before any write to GitHub
      "GET /repos/acme/shop/contents/.gimlet", // which apps the repo deploys per env (default branch, cached)
      "POST /repos/acme/shop/deployments",
      `POST /repos/acme/shop/deployments/${id}/statuses`, // in_progress: log_url = the gitops commit
    ]);
    // the artifact's own writes come after the deploy path's
    expect(throughPush.slice(7).sort()).toEqual([
      "POST /repos/acme/shop/check-runs",
      `PUT /repos/acme/gitops-staging/contents/acme/shop/${SHA}/${checkRun?.external_id}.json`,
    ]);
    expect(gh.current.count("write")).toBe(4);
    // the commit names the repository, the artifact sha and the artifact; no deployment id
    const message = git(app.bare(GITOPS), ["log", "-1", "--format=%B", "main"]);
    expect(message).toContain("Gimlet-Repository: acme/shop");
    expect(message).toContain(`Gimlet-Ref: ${SHA}`);
    expect(message).toContain(`Gimlet-Artifact: ${checkRun?.external_id}`);
    expect(message).not.toContain("Gimlet-Deployment");

    const tip = tipOf(app.bare(GITOPS));
    expect((await postFlux(app, GITOPS, fluxEvent(tip))).status).toBe(200);
    const settle = gh.current.lines(throughPush.length);
    // one list of the sha's deployments finds the release; its statuses; success
    expect(settle).toEqual([
      `GET /repos/acme/shop/deployments`,
      `GET /repos/acme/shop/deployments/${id}/statuses`,
      `POST /repos/acme/shop/deployments/${id}/statuses`,
    ]);
    expect(gh.current.find("GET", "/repos/acme/shop/deployments")[0]?.query).toMatchObject({ sha: SHA });
    expect(gh.current.statesOf(id!)).toEqual(["in_progress", "success"]);
    expect(gh.current.count("write")).toBe(5);

    // the next deploy on the same (warm) replica: installation, token, config and app list are cached
    const warm = gh.current.calls.length;
    expect(
      (
        await api(app, "POST", "/api/artifacts", {
          token,
          body: exampleArtifact({ files: [".gimlet/staging.yaml"], sha: SHA2 }),
        })
      ).status,
    ).toBe(201);
    await app.waitIdle();
    const warmPush = gh.current.lines(warm);
    expect(warmPush.map((l) => l.replace(/\d+/g, "N").replace(/contents\/.*/, "contents/…")).sort()).toEqual(
      [
        "POST /repos/acme/shop/deployments",
        "POST /repos/acme/shop/deployments/N/statuses",
        "PUT /repos/acme/gitops-staging/contents/…",
        "POST /repos/acme/shop/check-runs",
      ].sort(),
    );
    const [, second] = gh.current.deployments.keys();
    const beforeFlux = gh.current.calls.length;
    await postFlux(app, GITOPS, fluxEvent(tipOf(app.bare(GITOPS))));
    // settling also reads the release in the commit before (already settled: the walk stops there)
    expect(gh.current.lines(beforeFlux)).toEqual([
      "GET /repos/acme/shop/deployments",
      `GET /repos/acme/shop/deployments/${second}/statuses`,
      "GET /repos/acme/shop/deployments",
      `GET /repos/acme/shop/deployments/${id}/statuses`,
      `POST /repos/acme/shop/deployments/${second}/statuses`,
    ]);
    expect(gh.current.count("write", warm)).toBe(5);
    expect(gh.current.count("read", warm)).toBe(4);

    // a rollback: commit first, then its deployment and in_progress
    const beforeRollback = gh.current.calls.length;
    const rollback = await api(app, "POST", "/api/rollbacks", { token, body: { env: "staging", app: "shop" } });
    expect(rollback.status).toBe(202);
    await app.waitIdle();
    expect(gh.current.lines(beforeRollback)).toEqual([
      "POST /repos/acme/shop/deployments",
      // the restored release's environment URL: its deployment (found by its sha), then that deployment's statuses
      "GET /repos/acme/shop/deployments",
      expect.stringMatching(/^GET \/repos\/acme\/shop\/deployments\/\d+\/statuses$/),
      expect.stringMatching(/^POST \/repos\/acme\/shop\/deployments\/\d+\/statuses$/),
    ]);
    const tracked = await api(app, "GET", `/api/releases/track/${rollback.body.trackingId}`, { token });
    expect(tracked.body).toMatchObject({ status: "committed", gitopsSha: tipOf(app.bare(GITOPS)) });
  });

  // "Gitops pushes rejected because the branch moved, then retried": one rejected push of a batch of two releases is one retry.
  test("gimlet_gitops_push_retries_total counts rejected pushes, not the releases in the rejected batch", async () => {
    const app = await apps.start();
    gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig });
    const bare = await app.remote.cloneUrl(GITOPS);
    // Another replica moves main right after our first push (slowly, so the next two writes form one batch), once.
    const hook = join(bare, "hooks", "post-receive");
    writeFileSync(
      hook,
      [
        "#!/bin/sh",
        "[ -f moved-once ] && exit 0",
        "touch moved-once; sleep 0.4",
        "export GIT_AUTHOR_NAME=other GIT_AUTHOR_EMAIL=other@example.invalid GIT_COMMITTER_NAME=other GIT_COMMITTER_EMAIL=other@example.invalid",
        'c=$(echo "another replica" | git commit-tree "$(git rev-parse refs/heads/main^{tree})" -p refs/heads/main)',
        'git update-ref refs/heads/main "$c"',
        "",
      ].join("\n"),
    );
    chmodSync(hook, 0o755);
    const staging = exampleManifests([".gimlet/staging.yaml"])[0]!;
    const artifact = exampleArtifact({ manifests: ["cart", "search", "checkout"].map((app) => ({ ...staging, app })) });
    expect(
      (await api(app, "POST", "/api/artifacts", { token: await actionsToken(apps.oidc()), body: artifact })).status,
    ).toBe(201);
    await app.waitIdle();

    expect(listTree(bare, "main", "staging").sort()).toEqual(["cart", "checkout", "search"]);
    expect(git(bare, ["rev-list", "--count", "main"])).toBe("4");
    const stats = app.services.deps.writer.stats({ repo: GITOPS });
    expect(stats).toMatchObject({ batches: 2, commits: 3, rejectedPushes: 1 });
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(metricValue(text, "gimlet_gitops_push_retries_total")).toBe(stats.rejectedPushes);
  });
});
