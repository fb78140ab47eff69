import { existsSync } from "node:fs";
import { ApiTokenStore } from "../../app/auth/index.js";
import { api, exampleArtifact, exampleManifests, webhookExample } from "./appHarness.js";
import type { FakeGitHub } from "./fakeGitHub.js";
import { subjects } from "./gitRepos.js";

export const REPO = "acme/shop";
export const PR = 7;
export const HEAD = "7e57ab1e7e57ab1e7e57ab1e7e57ab1e7e57ab1e";
export const COMMITTED_AT = "2026-01-01T10:00:00Z";
export const COMMENTED_AT = "2026-01-01T10:05:00Z";
export const COMMENTER = "octo-dev";

/** One API token for the test file: PR artifacts are shipped with it (OIDC tokens are bound to their job's ref). */
export const shipper = ApiTokenStore.generate({ name: "ci", repositories: ["acme/*"] });

/** A real `issue_comment.created` payload (@octokit/webhooks-examples), moved onto PR #7 of acme/shop. */
export function commentPayload(
  body: string,
  options: { id?: number; login?: string; number?: number; createdAt?: string } = {},
): Record<string, any> {
  const payload = webhookExample("issue_comment", (p) => p.action === "created" && Boolean(p.installation));
  const number = options.number ?? PR;
  Object.assign(payload.issue, {
    number,
    pull_request: {
      url: `https://api.github.com/repos/${REPO}/pulls/${number}`,
      html_url: `https://github.com/${REPO}/pull/${number}`,
    },
  });
  Object.assign(payload.comment, {
    id: options.id ?? 900001,
    body,
    created_at: options.createdAt ?? COMMENTED_AT,
  });
  payload.comment.user = { ...payload.comment.user, login: options.login ?? COMMENTER, type: "User" };
  Object.assign(payload.repository, { full_name: REPO, name: "shop" });
  payload.repository.owner.login = "acme";
  return payload;
}

/** A PR artifact for `sha` with the given manifests (default staging + production: no policy deploys a PR). */
export function prArtifact(sha = HEAD, files = [".gimlet/staging.yaml", ".gimlet/production.yaml"], number = PR) {
  const artifact = exampleArtifact({ sha, manifests: exampleManifests(files) });
  Object.assign(artifact.version, {
    event: "pr",
    branch: `feature/${number}`,
    sourceBranch: `feature/${number}`,
    targetBranch: "main",
    prNumber: number,
  });
  return artifact;
}

export async function shipPrArtifact(
  app: { url: string; waitIdle?: () => Promise<void> },
  artifact = prArtifact(),
): Promise<string> {
  const response = await api(app, "POST", "/api/artifacts", { token: shipper.token, body: artifact });
  if (response.status !== 201) throw new Error(`artifact not shipped: ${response.text}`);
  // commit first: the artifact's check run and file are written once its releases are reported
  await app.waitIdle?.();
  return response.body.id;
}

/** Subjects of a gitops bare repo's main, [] when nothing was ever pushed. */
export function gitopsSubjects(bare: string): string[] {
  if (!existsSync(bare)) return [];
  try {
    return subjects(bare);
  } catch {
    return [];
  }
}

/** The app's replies on the PR (its comments). */
export function replies(gh: FakeGitHub, number = PR): string[] {
  return gh.commentsOf(REPO, number).map((c) => c.body);
}
