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
  // artifact accepted → gitops commit pushed (in_progress) → Flux applied (success).
  test("a policy deploy costs 12 GitHub API calls on a fresh replica, 7 on a warm one", async () => {
    const app = await apps.start();
    gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig });
    const token = await actionsToken(apps.oidc());
    expect(
      (await api(app, "POST", "/api/artifacts", { token, body: exampleArtifact({ files: [".gimlet/staging.yaml"] }) }))
        .status,
    ).toBe(201);
    await app.waitIdle();
    const [id] = gh.current.deployments.keys();
    const throughPush = gh.current.lines();
    expect([...throughPush].sort()).toEqual(
      [
        "GET /repos/acme/shop/installation", // app JWT: which installation serves acme/shop
        "POST /app/installations/4242/access_tokens", // its token
        "GET /repos/acme/.github/contents/.github/gimlet.yml", // the organisation's config, read beside it (DESIGN §7)
        "GET /repos/acme/shop/contents/.github/gimlet.yml", // config (cached 60 s afterwards)
        "POST /repos/acme/shop/deployments",
        `POST /repos/acme/shop/deployments/${id}/statuses`, // queued
        `PUT /repos/acme/gitops-staging/contents/acme/shop/${SHA}/${gh.current.checkRuns[0]!.external_id}.json`, // artifact file (installation cached per owner)
        "POST /repos/acme/shop/check-runs",
        `POST /repos/acme/shop/deployments/${id}/statuses`, // in_progress: the gitops commit is pushed
        `PATCH /repos/acme/shop/check-runs/${gh.current.checkRuns[0]!.id}`, // the check run shows the pushed state
      ].sort(),
    );
    const tip = tipOf(app.bare(GITOPS));
    expect((await postFlux(app, GITOPS, fluxEvent(tip))).status).toBe(200);
    const settle = gh.current.lines(throughPush.length);
    // one release settles: its environment is not needed (nothing to supersede)
    expect(settle).toEqual([
      `GET /repos/acme/shop/deployments/${id}/statuses`,
      `POST /repos/acme/shop/deployments/${id}/statuses`,
    ]);
    expect(gh.current.statesOf(id!)).toEqual(["queued", "in_progress", "success"]);
    expect(throughPush.length + settle.length).toBe(12);

    // the next deploy on the same (warm) replica: installation, token and config are cached
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
        "POST /repos/acme/shop/deployments/N/statuses",
        "PUT /repos/acme/gitops-staging/contents/…",
        "POST /repos/acme/shop/check-runs",
        "PATCH /repos/acme/shop/check-runs/N",
      ].sort(),
    );
    const [, second] = gh.current.deployments.keys();
    await postFlux(app, GITOPS, fluxEvent(tipOf(app.bare(GITOPS))));
    // settling also reads the statuses of the release in the commit before (already settled: the walk stops there)
    expect(gh.current.lines(warm + warmPush.length)).toEqual([
      `GET /repos/acme/shop/deployments/${second}/statuses`,
      `GET /repos/acme/shop/deployments/${id}/statuses`,
      `POST /repos/acme/shop/deployments/${second}/statuses`,
    ]);
    // warm: 5 calls until the commit is pushed, the check run update after it, 3 for the Flux success
    expect(gh.current.lines(warm)).toHaveLength(9);
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
