import { describe, expect, test } from "@jest/globals";
import {
  actionsToken,
  api,
  deliver,
  exampleArtifact,
  exampleConfig,
  exampleManifestFiles,
  exampleManifests,
  INSTALLATION_TOKEN,
  signWebhook,
  tipOf,
  useApps,
  useFakeGitHub,
  webhookExample,
} from "../helpers/appHarness.js";
import { show, subjects } from "../helpers/gitRepos.js";

const gh = useFakeGitHub();
const apps = useApps();

/** A real `push` delivery (with an installation) that touched `.gimlet/staging.yaml`. */
function pushPayload() {
  const payload = webhookExample(
    "push",
    (p) => Boolean(p.installation) && p.ref === "refs/heads/master" && p.commits.length > 0,
  );
  payload.commits[0].modified = [".gimlet/staging.yaml"];
  return payload;
}

const REPO = "Codertocat/Hello-World";

describe("push: the gimlet/config check run", () => {
  test("valid files at `after` → success, naming every file checked; read with the installation token", async () => {
    const app = await apps.start();
    const payload = pushPayload();
    gh.current.serve(REPO, { ".github/gimlet.yml": exampleConfig, ...exampleManifestFiles }, payload.after);

    const response = await deliver(app, "push", payload, { id: "push-valid" });
    expect(response.status).toBe(200);

    const files = Object.keys(exampleManifestFiles);
    expect(gh.current.lines()).toEqual([
      `GET /repos/${REPO}/installation`,
      "POST /app/installations/4242/access_tokens",
      `GET /repos/${REPO}/contents/.github/gimlet.yml`,
      `GET /repos/Codertocat/.github/contents/.github/gimlet.yml`, // the organisation's file the repository's may only narrow
      `GET /repos/${REPO}/contents/.gimlet`,
      ...files.map((f) => `GET /repos/${REPO}/contents/${f}`),
      `POST /repos/${REPO}/check-runs`,
    ]);
    // every read of the repository is of the pushed commit; the organisation's file is read from its default branch
    expect(gh.current.find("GET", new RegExp(`^/repos/${REPO}/contents/`)).map((c) => c.query)).toEqual(
      Array(2 + files.length).fill({ ref: payload.after }),
    );
    expect(gh.current.find("GET", /^\/repos\/Codertocat\/\.github\/contents\//).map((c) => c.query)).toEqual([{}]);
    const [create] = gh.current.find("POST", `/repos/${REPO}/check-runs`);
    expect(create!.auth).toBe(`token ${INSTALLATION_TOKEN}`);
    expect(create!.body).toEqual({
      name: "gimlet/config",
      head_sha: payload.after,
      external_id: `config-${payload.after}`,
      status: "completed",
      conclusion: "success",
      output: {
        title: "Gimlet configuration is valid",
        summary: `Checked ${[".github/gimlet.yml", ...files].map((f) => `\`${f}\``).join(", ")}.`,
      },
    });
  });

  test("an invalid manifest → failure, the summary lists `path: message` for every problem", async () => {
    const app = await apps.start();
    const payload = pushPayload();
    const staging = exampleManifestFiles[".gimlet/staging.yaml"]!.replace("  branch: main\n", "  branch: !main\n");
    const worker = "app: shop-worker\nenv: staging\nnamespace: 42\nreplica: 2\n";
    gh.current.serve(
      REPO,
      { ".github/gimlet.yml": exampleConfig, ".gimlet/staging.yaml": staging, ".gimlet/worker-staging.yaml": worker },
      payload.after,
    );

    expect((await deliver(app, "push", payload)).status).toBe(200);
    const [create] = gh.current.find("POST", `/repos/${REPO}/check-runs`);
    expect(create!.body).toEqual({
      name: "gimlet/config",
      head_sha: payload.after,
      external_id: `config-${payload.after}`,
      status: "completed",
      conclusion: "failure",
      output: {
        title: "3 problems in the Gimlet configuration",
        summary: [
          '- `.gimlet/staging.yaml:6:11`: !main is read by YAML as a tag, not as text; quote the value: write branch: "!main"',
          "- `.gimlet/worker-staging.yaml: namespace`: namespace must be a string",
          "- `.gimlet/worker-staging.yaml: replica`: unknown key",
        ].join("\n"),
      },
    });
  });

  test("a push that touches no Gimlet file costs no GitHub call", async () => {
    const app = await apps.start();
    const payload = pushPayload();
    payload.commits[0].modified = ["src/index.ts"];
    expect((await deliver(app, "push", payload)).status).toBe(200);
    expect(gh.current.calls).toEqual([]);
  });

  test("a bad signature is rejected before the app sees it: no GitHub call", async () => {
    const app = await apps.start();
    const payload = pushPayload();
    const response = await deliver(app, "push", payload, {
      signature: signWebhook(JSON.stringify(payload), "not-the-secret"),
    });
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/signature does not match/i);
    expect((await deliver(app, "push", payload, { signature: "sha256=" })).status).toBe(400);
    expect(gh.current.calls).toEqual([]);
  });

  test("the same delivery id twice is handled once", async () => {
    const app = await apps.start();
    const payload = pushPayload();
    gh.current.serve(REPO, { ".github/gimlet.yml": exampleConfig, ...exampleManifestFiles }, payload.after);
    expect((await deliver(app, "push", payload, { id: "dup-1" })).status).toBe(200);
    const handled = gh.current.calls.length;
    expect((await deliver(app, "push", payload, { id: "dup-1" })).status).toBe(200);
    expect(gh.current.calls.length).toBe(handled);
    expect(gh.current.find("POST", `/repos/${REPO}/check-runs`)).toHaveLength(1);
    // another delivery of the same push (a new id) is a new event
    expect((await deliver(app, "push", payload, { id: "dup-2" })).status).toBe(200);
    expect(gh.current.find("POST", `/repos/${REPO}/check-runs`)).toHaveLength(2);
  });

  // GitHub's "Redeliver" (UI and API) resends a failed delivery with the same X-GitHub-Delivery id.
  test("a delivery that failed is handled when GitHub redelivers it (same delivery id)", async () => {
    const app = await apps.start();
    const payload = pushPayload();
    gh.current.serve(REPO, { ".github/gimlet.yml": exampleConfig, ...exampleManifestFiles }, payload.after);
    gh.current.failOnce((c) => c.method === "POST" && c.path.endsWith("/check-runs"), 502);
    expect((await deliver(app, "push", payload, { id: "redeliver-1" })).status).toBe(500);
    expect((await deliver(app, "push", payload, { id: "redeliver-1" })).status).toBe(200);
    expect(gh.current.find("POST", `/repos/${REPO}/check-runs`).map((c) => c.status)).toEqual([502, 201]);
  });
});

describe("check_run.requested_action: the Deploy to <env> button", () => {
  test("deploy:1 releases manifest #1 of the stored artifact: deployment, gitops commit, in_progress", async () => {
    const app = await apps.start();
    gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig });
    const token = await actionsToken(apps.oidc(), "acme/shop", { ref: "refs/heads/feature/cart" });
    // a push to a feature branch: no policy releases it, so the check run offers buttons
    const artifact = exampleArtifact({
      manifests: exampleManifests([".gimlet/production.yaml", ".gimlet/staging.yaml"]),
    });
    artifact.version.branch = "feature/cart";
    const shipped = await api(app, "POST", "/api/artifacts", { token, body: artifact });
    expect(shipped.status).toBe(201);
    expect(shipped.body.decisions.map((d: { deploy: boolean }) => d.deploy)).toEqual([false, false]);
    await app.waitIdle(); // the check run is written after the answer
    const [checkRun] = gh.current.checkRuns;
    expect(checkRun!.actions).toContainEqual({
      label: "Deploy to staging",
      description: "Release shop to staging",
      identifier: "deploy:1",
    });

    const payload = webhookExample("check_run", (p) => p.action === "requested_action" && Boolean(p.installation));
    Object.assign(payload.check_run, {
      id: checkRun!.id,
      name: "gimlet",
      external_id: shipped.body.id,
      head_sha: artifact.version.sha,
      output: { ...payload.check_run.output, title: checkRun!.output.title, summary: checkRun!.output.summary },
    });
    payload.requested_action = { identifier: "deploy:1" };
    Object.assign(payload.repository, { full_name: "acme/shop", name: "shop" });
    payload.repository.owner.login = "acme";
    const before = gh.current.calls.length;
    expect((await deliver(app, "check_run", payload)).status).toBe(200);
    await app.waitIdle();

    const sender = payload.sender.login;
    const artifactPath = `acme/shop/${artifact.version.sha}/${shipped.body.id}.json`;
    // the check run's head sha gives the artifact's path: one read, however many artifacts are stored
    expect(gh.current.lines(before)).toEqual([
      `GET /repos/acme/gitops-staging/contents/${artifactPath}`,
      // the press is claimed on GitHub (a ref GitHub creates once): a redelivery, to any replica, releases nothing
      "POST /repos/acme/shop/git/refs",
      // the gitops commit is pushed here, before any write to GitHub
      "GET /repos/acme/shop/contents/.gimlet",
      "POST /repos/acme/shop/deployments",
      expect.stringMatching(/^POST \/repos\/acme\/shop\/deployments\/\d+\/statuses$/),
      // the press is answered in the check run once its deployment exists, in one write: committed, with its link
      `PATCH /repos/acme/shop/check-runs/${payload.check_run.id}`,
    ]);
    const [deployment] = gh.current.find("POST", "/repos/acme/shop/deployments");
    expect(deployment!.body).toEqual({
      ref: artifact.version.sha,
      environment: "staging",
      description: `shop ${artifact.version.sha.slice(0, 7)} to staging by ${sender}`,
      payload: {
        deliveryId: expect.any(String),
        artifactId: shipped.body.id,
        app: "shop",
        env: "staging",
        triggeredBy: sender,
        gitopsSha: tipOf(app.bare("acme/gitops-staging")),
        trackingId: expect.any(String),
        successMeans: "applied",
      },
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      production_environment: false,
    });
    const id = [...gh.current.deployments.keys()][0];
    expect(gh.current.statesOf(id!)).toEqual(["in_progress"]);

    const bare = app.bare("acme/gitops-staging");
    expect(subjects(bare)).toEqual([`[gimlet] staging/shop deploy ${artifact.version.sha.slice(0, 7)} by ${sender}`]);
    expect(show(bare, "main", "staging/shop/deployment.yaml")).toContain(
      `image: ghcr.io/acme/shop:${artifact.version.sha}`,
    );
    expect(JSON.parse(show(bare, "main", "staging/shop/release.json") ?? "{}")).toMatchObject({
      triggeredBy: sender,
      version: { repositoryName: "acme/shop", sha: artifact.version.sha },
    });
    expect(gh.current.statuses.get(id!)?.[0]?.log_url).toBe(app.remote.commitUrl("acme/gitops-staging", tipOf(bare)));
  });

  test("buttons of other check runs, other identifiers and unknown manifests are ignored", async () => {
    const app = await apps.start();
    const payload = webhookExample("check_run", (p) => p.action === "requested_action" && Boolean(p.installation));
    expect((await deliver(app, "check_run", payload)).status).toBe(200); // "API Review" / lgtm|26764
    payload.check_run.name = "gimlet";
    payload.check_run.external_id = "acme-shop-x";
    payload.requested_action = { identifier: "rollback:1" };
    expect((await deliver(app, "check_run", payload)).status).toBe(200);
    expect(gh.current.calls).toEqual([]);
  });
});
