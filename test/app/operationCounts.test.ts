// GitHub calls per operation that start from a webhook (issue 11): a Deploy button, a `/gimlet deploy` comment, a
// preview cleanup, and the Flux success after each release. The policy deploy, its Flux success, a warm deploy and a
// rollback are pinned in operations.test.ts. Each list is exact: a new call fails here and must be argued for.
import { describe, expect, test } from "@jest/globals";
import {
  actionsToken,
  api,
  buttonPress,
  deliver,
  exampleArtifact,
  exampleConfig,
  exampleManifestFiles,
  exampleManifests,
  fluxEvent,
  postFlux,
  shaOf,
  tipOf,
  useApps,
  useFakeGitHub,
  webhookExample,
} from "../helpers/appHarness.js";
import {
  COMMENTER,
  COMMITTED_AT,
  commentPayload,
  HEAD,
  PR,
  prArtifact,
  REPO,
  replies,
  shipPrArtifact,
  shipper,
} from "../helpers/commands.js";

const gh = useFakeGitHub();
const apps = useApps();
const GITOPS = "acme/gitops-staging";
const STATUSES = /^(GET|POST) \/repos\/acme\/shop\/deployments\/\d+\/statuses$/;
const HEAD_TIMES = new RegExp(`^GET /repos/${REPO}/commits/${HEAD}(/check-suites)?$`);
/** Calls since `from` reading the artifacts branch (how an artifact is found is app/releases/artifacts.ts' job). */
const artifactReads = (from: number) =>
  gh.current.calls.slice(from).filter((c) => c.path.startsWith(`/repos/${GITOPS}/`) && c.kind === "read");
const linesWithoutArtifactReads = (from: number) =>
  gh.current.calls
    .slice(from)
    .filter((c) => !(c.path.startsWith(`/repos/${GITOPS}/`) && c.kind === "read"))
    .map((c) => `${c.method} ${c.path}`);

async function flux(app: { url: string; bare(repository: string): string; waitIdle(): Promise<void> }) {
  expect((await postFlux(app, GITOPS, fluxEvent(tipOf(app.bare(GITOPS))))).status).toBe(200);
  await app.waitIdle();
}

const press = (checkRun: Record<string, any>, index: number) => buttonPress(checkRun, index, COMMENTER, REPO);

/** A real `pull_request.closed` payload, moved onto PR #7 of acme/shop. */
function closed() {
  const payload = webhookExample("pull_request", (p) => p.action === "closed" && Boolean(p.installation));
  Object.assign(payload.pull_request, { number: PR, merged: false });
  payload.pull_request.head.ref = `feature/${PR}`;
  Object.assign(payload.repository, { full_name: REPO, name: "shop", default_branch: "main" });
  payload.repository.owner.login = "acme";
  payload.number = PR;
  return payload;
}

describe("GitHub calls per webhook-driven operation", () => {
  // Before: 5 writes (the check run was written `queued`, then at once `committed`).
  test("a Deploy button release: 4 writes (claim ref, deployment, in_progress, check run); its Flux success: 1 write, 2 reads", async () => {
    const app = await apps.start();
    gh.current.serve(REPO, { ".github/gimlet.yml": exampleConfig });
    const token = await actionsToken(apps.oidc(), REPO, { ref: "refs/heads/feature/cart" });
    const artifact = exampleArtifact({
      manifests: exampleManifests([".gimlet/production.yaml", ".gimlet/staging.yaml"]),
    });
    artifact.version.branch = "feature/cart"; // no policy releases it: the check run offers buttons
    expect((await api(app, "POST", "/api/artifacts", { token, body: artifact })).status).toBe(201);
    await app.waitIdle();
    const checkRun = gh.current.checkRuns[0] as Record<string, any>;

    const before = gh.current.calls.length;
    expect((await deliver(app, "check_run", press(checkRun, 1), { id: "press-1" })).status).toBe(200);
    await app.waitIdle();
    expect(artifactReads(before)).toHaveLength(1); // the pressed artifact, by its id
    expect(linesWithoutArtifactReads(before)).toEqual([
      `POST /repos/${REPO}/git/refs`, // the claim: GitHub creates a ref once, so one press releases once
      // the gitops commit is pushed here
      `GET /repos/${REPO}/contents/.gimlet`, // the environment name (cached per replica afterwards)
      `POST /repos/${REPO}/deployments`,
      expect.stringMatching(STATUSES), // in_progress
      `PATCH /repos/${REPO}/check-runs/${checkRun.id}`, // the answer: committed, with the deployment's link
    ]);
    expect(gh.current.find("POST", `/repos/${REPO}/git/refs`)[0]?.body).toMatchObject({
      ref: "refs/gimlet/deliveries/press-1",
    });
    expect(gh.current.count("write", before)).toBe(4);
    expect(gh.current.count("read", before)).toBe(2);
    const summary = (gh.current.checkRuns[0] as { output: { summary: string } }).output.summary;
    expect(summary).toMatch(/\n- @octo-dev pressed Deploy to staging: committed [0-9a-f]{7} \(\[deployment\]\(.+\)\)$/);

    const settle = gh.current.calls.length;
    await flux(app);
    const [id] = gh.current.deployments.keys();
    expect(gh.current.lines(settle)).toEqual([
      `GET /repos/${REPO}/deployments`, // the commit's release, by its artifact sha
      `GET /repos/${REPO}/deployments/${id}/statuses`,
      `POST /repos/${REPO}/deployments/${id}/statuses`, // success
    ]);
    expect(gh.current.statesOf(id!)).toEqual(["in_progress", "success"]);
  });

  // Before: 7 writes (the reply was edited to `queued` with the deployment link, then at once to `committed`), and
  // its Flux success read the deployment again for its reply id (4 reads).
  test("/gimlet deploy staging: 6 writes (👀, reply, deployment, in_progress, reply edited once, 🚀); its Flux success: 2 writes, 3 reads", async () => {
    const app = await apps.start({ tokens: [shipper.record] });
    gh.current.serve(REPO, { ".github/gimlet.yml": exampleConfig });
    gh.current.pull(REPO, PR, HEAD);
    gh.current.commitDates.set(HEAD, COMMITTED_AT);
    gh.current.pushedAt.set(HEAD, COMMITTED_AT);
    gh.current.permissions.set(`${REPO}:${COMMENTER}`, "write");
    await shipPrArtifact(app); // staging + production manifests: no policy deploys a PR

    const before = gh.current.calls.length;
    expect((await deliver(app, "issue_comment", commentPayload("/gimlet deploy staging"))).status).toBe(200);
    await app.waitIdle();
    expect(artifactReads(before).length).toBeGreaterThanOrEqual(1); // the PR head's artifact
    expect(artifactReads(before).length).toBeLessThanOrEqual(2);
    expect(linesWithoutArtifactReads(before)).toEqual([
      `POST /repos/${REPO}/issues/comments/900001/reactions`, // 👀, which claims the comment
      `GET /repos/${REPO}/pulls/${PR}`,
      `GET /repos/${REPO}/collaborators/${COMMENTER}/permission`,
      // stale_head: the head's committer date and its check suites (when it was pushed), asked for at once
      expect.stringMatching(HEAD_TIMES),
      expect.stringMatching(HEAD_TIMES),
      `GET /repos/${REPO}/deployments`, // a deployment this comment already made (a redelivery)
      `POST /repos/${REPO}/issues/${PR}/comments`, // the reply: queued
      // the gitops commit is pushed here
      `GET /repos/${REPO}/contents/.gimlet`, // the environment name (cached per replica afterwards)
      `POST /repos/${REPO}/deployments`,
      expect.stringMatching(STATUSES), // in_progress
      expect.stringMatching(/^PATCH \/repos\/acme\/shop\/issues\/comments\/\d+$/), // the reply: committed, every link
      `POST /repos/${REPO}/issues/comments/900001/reactions`, // 🚀
    ]);
    expect(gh.current.count("write", before)).toBe(6);
    expect(
      gh.current
        .lines(before)
        .filter((line) => HEAD_TIMES.test(line))
        .sort(),
    ).toEqual([`GET /repos/${REPO}/commits/${HEAD}`, `GET /repos/${REPO}/commits/${HEAD}/check-suites`]);
    expect(gh.current.count("read", before) - artifactReads(before).length).toBe(6);
    expect(gh.current.reactionsOf(900001)).toEqual(["eyes", "rocket"]);
    expect(replies(gh.current)[0]).toContain("| State | 📝 committed: waiting for Flux to apply it |");

    const settle = gh.current.calls.length;
    await flux(app);
    const [id] = gh.current.deployments.keys();
    expect(gh.current.lines(settle)).toEqual([
      `GET /repos/${REPO}/deployments`,
      `GET /repos/${REPO}/deployments/${id}/statuses`,
      `POST /repos/${REPO}/deployments/${id}/statuses`, // success
      // the reply moves on to applied: its id comes with the deployment settling listed, so no second read of it
      `GET /repos/${REPO}/issues/${PR}/comments`,
      expect.stringMatching(/^PATCH \/repos\/acme\/shop\/issues\/comments\/\d+$/),
    ]);
    expect(replies(gh.current)[0]).toMatch(/\| State \| ✅ applied: Flux applied `[0-9a-f]{7}` \|/);
  });

  // Before: 7 writes (the reply edited twice at once, as for a deploy).
  test("/gimlet rollback staging: 6 writes (👀, reply, deployment, in_progress, reply edited once, 🚀)", async () => {
    const app = await apps.start({ tokens: [shipper.record] });
    gh.current.serve(REPO, { ".github/gimlet.yml": exampleConfig });
    gh.current.pull(REPO, PR, HEAD);
    gh.current.commitDates.set(HEAD, COMMITTED_AT);
    gh.current.pushedAt.set(HEAD, COMMITTED_AT);
    gh.current.permissions.set(`${REPO}:${COMMENTER}`, "write");
    await shipPrArtifact(app);
    expect((await deliver(app, "issue_comment", commentPayload("/gimlet deploy staging", { id: 1 }))).status).toBe(200);
    await app.waitIdle();
    const HEAD2 = shaOf(2);
    gh.current.pull(REPO, PR, HEAD2);
    gh.current.commitDates.set(HEAD2, COMMITTED_AT);
    gh.current.pushedAt.set(HEAD2, COMMITTED_AT);
    await shipPrArtifact(app, prArtifact(HEAD2));
    expect((await deliver(app, "issue_comment", commentPayload("/gimlet deploy staging", { id: 2 }))).status).toBe(200);
    await app.waitIdle();

    const before = gh.current.calls.length;
    expect((await deliver(app, "issue_comment", commentPayload("/gimlet rollback staging", { id: 3 }))).status).toBe(
      200,
    );
    await app.waitIdle();
    expect(gh.current.lines(before)).toEqual([
      `POST /repos/${REPO}/issues/comments/3/reactions`, // 👀
      `GET /repos/${REPO}/pulls/${PR}`,
      `GET /repos/${REPO}/collaborators/${COMMENTER}/permission`,
      `GET /repos/${REPO}/deployments`, // a deployment this comment already made (a redelivery)
      `POST /repos/${REPO}/issues/${PR}/comments`, // the reply: queued
      // the rollback commit is pushed here
      `POST /repos/${REPO}/deployments`,
      // the restored release's environment URL: its deployment (by its sha), then that deployment's statuses
      `GET /repos/${REPO}/deployments`,
      expect.stringMatching(STATUSES),
      expect.stringMatching(STATUSES), // in_progress
      expect.stringMatching(/^PATCH \/repos\/acme\/shop\/issues\/comments\/\d+$/), // the reply: committed
      `POST /repos/${REPO}/issues/comments/3/reactions`, // 🚀
    ]);
    expect(gh.current.count("write", before)).toBe(6);
    expect(gh.current.count("read", before)).toBe(5);
    expect(replies(gh.current).at(-1)).toContain("| State | 📝 committed: waiting for Flux to apply it |");
  });

  // Three preview releases of PR #7: the first settled alone (success; GitHub's auto_inactive never retires deployments
  // of a transient environment), the next two by one Flux event (the older superseded: inactive). Before: 2 lists of
  // deployments and an inactive status for all 3 (4 writes with the comment, 8 reads).
  test("a preview cleanup (PR closed): one delete commit; 3 writes (the comment, 2 inactive: the one already inactive is skipped)", async () => {
    const app = await apps.start({ tokens: [shipper.record] });
    gh.current.serve(REPO, { ".github/gimlet.yml": exampleConfig, ...exampleManifestFiles });
    const previews = [".gimlet/preview.yaml", ".gimlet/staging.yaml"];
    await shipPrArtifact(app, prArtifact(HEAD, previews));
    // a preview release: the PR comment (cosmetic) is asked for after the deploy path's writes, never between them
    const writes = gh.current.calls.filter((c) => c.kind === "write").map((c) => `${c.method} ${c.path}`);
    expect(writes.slice(0, 2)).toEqual([`POST /repos/${REPO}/deployments`, expect.stringMatching(STATUSES)]);
    expect(writes.slice(2)).toContain(`POST /repos/${REPO}/issues/${PR}/comments`); // beside the artifact's own writes
    await flux(app);
    await shipPrArtifact(app, prArtifact(shaOf(71), previews));
    await shipPrArtifact(app, prArtifact(shaOf(72), previews));
    await flux(app);
    const [first, superseded, newest] = [...gh.current.deployments.keys()];
    expect(gh.current.statesOf(first!).at(-1)).toBe("success");
    expect(gh.current.statesOf(superseded!).at(-1)).toBe("inactive");
    expect(gh.current.statesOf(newest!).at(-1)).toBe("success");

    const before = gh.current.calls.length;
    expect((await deliver(app, "pull_request", closed())).status).toBe(200);
    await app.waitIdle();
    const lines = gh.current.lines(before);
    expect(lines.slice(0, 5)).toEqual([
      // the cleanup rules: the repository's manifests on its default branch
      `GET /repos/${REPO}/contents/.gimlet`,
      `GET /repos/${REPO}/contents/.gimlet/preview.yaml`,
      `GET /repos/${REPO}/contents/.gimlet/production.yaml`,
      `GET /repos/${REPO}/contents/.gimlet/staging.yaml`,
      `GET /repos/${REPO}/contents/.gimlet/worker-staging.yaml`,
      // the folder is deleted here, in one commit
    ]);
    // then, side by side: the preview's environment listed once, the older deployments' newest statuses (the newest
    // deployment is the live release, never inactive), the inactive ones skipped; the PR comment
    expect(
      lines
        .slice(5)
        .map((l) => l.replace(/comments\/\d+$/, "comments/N"))
        .sort(),
    ).toEqual(
      [
        `GET /repos/${REPO}/deployments`,
        `GET /repos/${REPO}/deployments/${first}/statuses`,
        `GET /repos/${REPO}/deployments/${superseded}/statuses`,
        `POST /repos/${REPO}/deployments/${first}/statuses`,
        `POST /repos/${REPO}/deployments/${newest}/statuses`,
        `GET /repos/${REPO}/issues/${PR}/comments`,
        `PATCH /repos/${REPO}/issues/comments/N`,
      ].sort(),
    );
    expect(gh.current.find("GET", `/repos/${REPO}/deployments`).at(-1)?.query).toMatchObject({
      environment: `staging/shop-pr-${PR}`,
    });
    expect(gh.current.count("write", before)).toBe(3);
    expect(gh.current.count("read", before)).toBe(9);
    for (const id of [first, superseded, newest]) expect(gh.current.statesOf(id!).at(-1)).toBe("inactive");
    expect(gh.current.statuses.get(superseded!)?.filter((s) => s.state === "inactive")).toHaveLength(1);
    expect(gh.current.statuses.get(newest!)?.at(-1)).toMatchObject({ description: `Removed: PR #${PR} closed` });
  });
});
