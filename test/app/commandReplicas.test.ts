import { rmSync } from "node:fs";
import { expect, test } from "@jest/globals";
import { deliver, exampleConfig, shaOf, useApps, useFakeGitHub } from "../helpers/appHarness.js";
import {
  COMMENTER,
  commentPayload,
  gitopsSubjects,
  prArtifact,
  REPO,
  replies,
  shipPrArtifact,
  shipper,
} from "../helpers/commands.js";
import { tempDir } from "../helpers/gitRepos.js";

const gh = useFakeGitHub();
const apps = useApps();
const COMMENTS = 20;

test("20 comment deliveries, each delivered twice to two instances sharing one gitops repo → exactly 20 deploys", async () => {
  const shared = tempDir("gimlet-command-replicas-");
  try {
    const [a, b] = await Promise.all([
      apps.start({ root: shared, tokens: [shipper.record] }),
      apps.start({ root: shared, tokens: [shipper.record] }),
    ]);
    gh.current.serve(REPO, { ".github/gimlet.yml": exampleConfig });
    gh.current.permissions.set(`${REPO}:${COMMENTER}`, "write");
    const prs = Array.from({ length: COMMENTS }, (_, i) => ({ number: 100 + i, sha: shaOf(5000 + i) }));
    for (const pr of prs) gh.current.pull(REPO, pr.number, pr.sha);
    await Promise.all(
      prs.map((pr, i) => shipPrArtifact(i % 2 ? b : a, prArtifact(pr.sha, [".gimlet/staging.yaml"], pr.number))),
    );
    const deliveries = prs.map((pr, i) => ({
      id: `comment-delivery-${i}`,
      payload: commentPayload("/gimlet deploy staging", { id: 700000 + i, number: pr.number }),
    }));
    // every delivery four times at once: twice to each instance, same X-GitHub-Delivery
    const responses = await Promise.all(
      deliveries.flatMap((d) => [a, b, a, b].map((app) => deliver(app, "issue_comment", d.payload, { id: d.id }))),
    );
    // Probot's throttle spaces the installation's writes (about 130 here), so a delivery still running near GitHub's
    // 10 s deadline is answered 202 and keeps running: both are success answers
    expect(responses.map((r) => r.status).filter((s) => s !== 200 && s !== 202)).toEqual([]);
    await Promise.all([a.waitIdle(), b.waitIdle()]);

    const deployments = [...gh.current.deployments.values()];
    expect(deployments).toHaveLength(COMMENTS);
    expect(deployments.map((d) => (d.payload as { commentId: number }).commentId).sort()).toEqual(
      deliveries.map((d) => d.payload.comment.id).sort(),
    );
    const subjects = gitopsSubjects(a.bare("acme/gitops-staging"));
    expect(subjects).toHaveLength(COMMENTS);
    expect(subjects.sort()).toEqual(
      prs.map((pr) => `[gimlet] staging/shop deploy ${pr.sha.slice(0, 7)} by ${COMMENTER}`).sort(),
    );
    for (const [i, pr] of prs.entries()) {
      expect(replies(gh.current, pr.number)).toHaveLength(1);
      expect(gh.current.reactionsOf(700000 + i)).toEqual(["eyes", "rocket"]);
    }
    // both instances took part (the claim, not a single replica, made it exactly once)
    const claims = gh.current
      .find("POST", /\/issues\/comments\/\d+\/reactions$/)
      .filter((c) => c.body.content === "eyes");
    expect(claims.length).toBeGreaterThanOrEqual(COMMENTS * 2);
    expect(claims.filter((c) => c.status === 201)).toHaveLength(COMMENTS);
  } finally {
    rmSync(shared, { recursive: true, force: true });
  }
});
