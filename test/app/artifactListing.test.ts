import { randomBytes } from "node:crypto";
import { describe, expect, test } from "@jest/globals";
import {
  artifactCommitMessage,
  artifactPath,
  parseArtifactCommit,
  storeArtifactFile,
} from "../../app/releases/artifacts.js";
import { assignServerFields, parseArtifact, type StoredArtifact } from "../../shared/artifact/index.js";
import { artifactsLocation } from "../../shared/config/index.js";
import {
  type AppHarness,
  actionsToken,
  api,
  exampleArtifact,
  exampleConfig,
  SHA2,
  shaOf,
  useApps,
  useFakeGitHub,
} from "../helpers/appHarness.js";

const gh = useFakeGitHub();
const apps = useApps();
const GITOPS = "acme/gitops-staging";
const BRANCH = "gimlet-artifacts";

/** Artifact n of acme/shop, minted n ms after a fixed instant (so ids sort by n), of a push or a PR. */
function artifactNumber(n: number, version: { sha?: string; branch?: string; event?: "push" | "pr" } = {}) {
  const shipped = exampleArtifact({ sha: version.sha ?? shaOf(n), files: [] });
  const pr = version.event === "pr" ? { event: "pr", prNumber: 7, targetBranch: "main" } : {};
  return assignServerFields(
    parseArtifact({ ...shipped, version: { ...shipped.version, branch: version.branch ?? "main", ...pr } }),
    new Date(Date.UTC(2026, 0, 1) + n),
    randomBytes,
  );
}

/** Store artifacts as the app does (one contents PUT each, its own commit on the artifacts branch). */
async function store(app: AppHarness, artifacts: StoredArtifact[]): Promise<void> {
  const config = await app.services.configs.get("acme/shop");
  for (const artifact of artifacts) await storeArtifactFile(app.services.deps.forge, config, artifact);
}

async function shopApp(): Promise<{ app: AppHarness; token: string }> {
  const app = await apps.start();
  gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig });
  return { app, token: await actionsToken(apps.oidc()) };
}

/** The GitHub calls of one listing: what GET /api/artifacts cost. */
async function listed(app: AppHarness, token: string, query: string) {
  const from = gh.current.calls.length;
  const response = await api(app, "GET", `/api/artifacts?repository=acme/shop&${query}`, { token });
  expect(response.status).toBe(200);
  return { ids: (response.body as StoredArtifact[]).map((a) => a.id), calls: gh.current.lines(from) };
}

const fileRead = (artifact: StoredArtifact) => `GET /repos/${GITOPS}/contents/${artifactPath(artifact)}`;

describe("listing the newest artifacts costs calls in the number asked for, not in the number stored", () => {
  test("newest 3 of 30: one page of the artifacts branch's history and 3 file reads, no tree", async () => {
    const { app, token } = await shopApp();
    const stored = Array.from({ length: 30 }, (_, i) => artifactNumber(i + 1));
    await store(app, stored);
    const newest = stored.slice(-3).reverse();

    const { ids, calls } = await listed(app, token, "limit=3");
    expect(ids).toEqual(newest.map((a) => a.id));
    expect(calls.sort()).toEqual([`GET /repos/${GITOPS}/commits`, ...newest.map(fileRead)].sort());
    const page = gh.current.find("GET", `/repos/${GITOPS}/commits`).at(-1);
    expect(page?.query).toEqual({ sha: BRANCH, path: "acme/shop", per_page: "8", page: "1" });
    expect(gh.current.find("GET", /\/git\/trees\//)).toEqual([]);
  });

  test("branch and event filters read only the files whose commit trailers match", async () => {
    const { app, token } = await shopApp();
    // 30 artifacts: every third one of a PR from feature/x, the rest pushes to main
    const stored = Array.from({ length: 30 }, (_, i) =>
      artifactNumber(i + 1, i % 3 === 0 ? { branch: "feature/x", event: "pr" } : {}),
    );
    await store(app, stored);
    const prs = stored.filter((a) => a.version.event === "pr").reverse();

    const byBranch = await listed(app, token, "branch=feature/x&limit=2");
    expect(byBranch.ids).toEqual(prs.slice(0, 2).map((a) => a.id));
    expect(byBranch.calls.sort()).toEqual([`GET /repos/${GITOPS}/commits`, ...prs.slice(0, 2).map(fileRead)].sort());

    const byEvent = await listed(app, token, "event=push&limit=4");
    const pushes = stored.filter((a) => a.version.event === "push").reverse();
    expect(byEvent.ids).toEqual(pushes.slice(0, 4).map((a) => a.id));
    expect(byEvent.calls).toHaveLength(1 + 4);

    const none = await listed(app, token, "branch=nowhere&limit=5");
    expect(none).toEqual({ ids: [], calls: [`GET /repos/${GITOPS}/commits`] }); // 30 < one page of 100: nothing read
  });

  test("with a sha: one listing of that sha's folder, then the newest files in parallel", async () => {
    const { app, token } = await shopApp();
    const others = Array.from({ length: 25 }, (_, i) => artifactNumber(i + 1));
    const ofSha = Array.from({ length: 5 }, (_, i) => artifactNumber(100 + i, { sha: SHA2 }));
    await store(app, [...others.slice(0, 10), ...ofSha, ...others.slice(10)]);

    const { ids, calls } = await listed(app, token, `sha=${SHA2}&limit=2`);
    const newest = ofSha.slice(-2).reverse();
    expect(ids).toEqual(newest.map((a) => a.id));
    expect(calls.sort()).toEqual([`GET /repos/${GITOPS}/contents/acme/shop/${SHA2}`, ...newest.map(fileRead)].sort());
    expect(gh.current.find("GET", `/repos/${GITOPS}/contents/acme/shop/${SHA2}`).at(-1)?.query).toEqual({
      ref: BRANCH,
    });
  });

  test("artifacts stored before the trailers are still listed, read to be filtered; a corrupt one is skipped", async () => {
    const { app, token } = await shopApp();
    const config = await app.services.configs.get("acme/shop");
    const old = [artifactNumber(1), artifactNumber(2, { branch: "feature/x", event: "pr" }), artifactNumber(3)];
    // as an earlier version of the app wrote them: the message names the artifact, nothing else
    for (const artifact of old)
      gh.current.commitFile(
        GITOPS,
        BRANCH,
        { [artifactPath(artifact)]: `${JSON.stringify(artifact, null, 2)}\n` },
        `[gimlet] artifact ${artifact.id} for ${artifact.version.sha.slice(0, 7)}`,
      );
    const corrupt = artifactNumber(4);
    gh.current.commitFile(
      GITOPS,
      BRANCH,
      { [artifactPath(corrupt)]: '{"version": {"repositoryName": "acme/sh' },
      `[gimlet] artifact ${corrupt.id} for ${corrupt.version.sha.slice(0, 7)}`,
    );
    const fresh = artifactNumber(5);
    await store(app, [fresh]);
    expect(artifactsLocation(config)).toEqual({ repository: GITOPS, branch: BRANCH });

    const all = await listed(app, token, "limit=10");
    expect(all.ids).toEqual([fresh, old[2]!, old[1]!, old[0]!].map((a) => a.id));
    const pushes = await listed(app, token, "branch=main&limit=2");
    expect(pushes.ids).toEqual([fresh.id, old[2]!.id]);
    // the new artifact is matched from its trailers; the corrupt and the old one are read to be filtered
    expect(pushes.calls.sort()).toEqual(
      [`GET /repos/${GITOPS}/commits`, fileRead(fresh), fileRead(corrupt), fileRead(old[2]!)].sort(),
    );
  });
});

describe("what an artifacts-branch commit says without reading the file", () => {
  test("the app's message gives the path and the filters; an older one the path; a forged one nothing", () => {
    const pr = artifactNumber(1, { branch: "feature/x", event: "pr" });
    expect(parseArtifactCommit("acme/shop", { sha: "c", message: artifactCommitMessage(pr) })).toEqual({
      id: pr.id,
      path: artifactPath(pr),
      filters: { event: "pr", branch: "feature/x" },
    });
    const older = `[gimlet] artifact ${pr.id} for ${pr.version.sha.slice(0, 7)}`;
    expect(parseArtifactCommit("acme/shop", { sha: "c", message: older })).toEqual({
      id: pr.id,
      path: artifactPath(pr),
    });
    const forged = `[gimlet] artifact x\n\nGimlet-Artifact: ../../other/repo/x\nGimlet-Commit: ${SHA2}`;
    expect(parseArtifactCommit("acme/shop", { sha: "c", message: forged })).toEqual({});
    // a branch that can't be one trailer line leaves the filters out: the listing reads that file to filter it
    const odd = { ...pr, version: { ...pr.version, branch: "two\nlines" } };
    expect(parseArtifactCommit("acme/shop", { sha: "c", message: artifactCommitMessage(odd) })).toEqual({
      id: pr.id,
      path: artifactPath(pr),
    });
  });
});
