import { expect, test } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { GitHubSweepSource } from "../../app/github/sweepSource.js";
import { API, REPO, testOctokit, useNock } from "./helpers.js";

useNock();

const octokit = testOctokit();
const app = { auth: async () => octokit } as unknown as Probot;
const source = () => new GitHubSweepSource(app, async () => octokit);
const deployment = (id: number, createdAt: string) => ({
  id,
  ref: "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d",
  sha: "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d",
  environment: "staging",
  payload: { app: "shop" },
  created_at: createdAt,
  url: `${API}/repos/${REPO}/deployments/${id}`,
});

test("lists go out as conditional requests: a 304 answers from the cache", async () => {
  const s = source();
  const list = [deployment(12, "2026-12-01T10:30:00Z"), deployment(11, "2026-12-01T09:00:00Z")];
  nock(API).get(`/repos/${REPO}/deployments`).query({ per_page: "30" }).reply(200, list, { etag: 'W/"v1"' });
  nock(API, { reqheaders: { "if-none-match": 'W/"v1"' } })
    .get(`/repos/${REPO}/deployments`)
    .query({ per_page: "30" })
    .reply(304);
  const since = new Date("2026-12-01T10:00:00Z");
  const first = await s.recentDeployments(REPO, since);
  expect(first.map((d) => d.id)).toEqual([12]);
  expect(await s.recentDeployments(REPO, since)).toEqual(first);
  expect(first[0]).toMatchObject({ repository: REPO, environment: "staging", createdAt: "2026-12-01T10:30:00Z" });
});

test("installations → their repositories", async () => {
  nock(API)
    .get("/app/installations")
    .query({ per_page: "100" })
    .reply(200, [{ id: 7 }]);
  nock(API)
    .get("/installation/repositories")
    .query({ per_page: "100" })
    .reply(200, { total_count: 2, repositories: [{ full_name: "acme/shop" }, { full_name: "acme/api" }] });
  expect(await source().repositories()).toEqual(["acme/shop", "acme/api"]);
});

test("a claim is a ref created once: the second replica gets 422 and stands back; unclaim deletes it", async () => {
  const d = { ...deployment(12, "2026-12-01T10:30:00Z"), repository: REPO, createdAt: "2026-12-01T10:30:00Z" };
  const created: unknown[] = [];
  nock(API)
    .post(`/repos/${REPO}/git/refs`, (body) => created.push(body) > 0)
    .reply(201, { ref: "refs/gimlet/sweep/12" });
  nock(API).post(`/repos/${REPO}/git/refs`).reply(422, { message: "Reference already exists" });
  nock(API).delete(`/repos/${REPO}/git/refs/gimlet%2Fsweep%2F12`).reply(204);
  expect(await source().claim(d)).toBe(true);
  expect(await source().claim(d)).toBe(false);
  expect(created).toEqual([{ ref: "refs/gimlet/sweep/12", sha: d.sha }]);
  await source().unclaim(d);
});

test("statuses are mapped newest first as GitHub gives them", async () => {
  nock(API)
    .get(`/repos/${REPO}/deployments/12/statuses`)
    .query({ per_page: "100" })
    .reply(200, [
      {
        id: 3,
        state: "in_progress",
        description: "Committed",
        log_url: "https://github.com/acme/gitops/commit/abc",
        created_at: "2026-12-01T10:31:00Z",
      },
      { id: 2, state: "queued", description: null, created_at: "2026-12-01T10:30:00Z" },
    ]);
  expect(await source().statuses(REPO, 12)).toEqual([
    {
      id: 3,
      state: "in_progress",
      description: "Committed",
      logUrl: "https://github.com/acme/gitops/commit/abc",
      createdAt: "2026-12-01T10:31:00Z",
    },
    { id: 2, state: "queued", createdAt: "2026-12-01T10:30:00Z" },
  ]);
});
