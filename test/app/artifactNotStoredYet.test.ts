import { describe, expect, test } from "@jest/globals";
import { ApiTokenStore } from "../../app/auth/index.js";
import { storeArtifactFile } from "../../app/releases/artifacts.js";
import type { StoredArtifact } from "../../shared/artifact/index.js";
import {
  type AppHarness,
  api,
  buttonPress,
  deliver,
  exampleArtifact,
  exampleConfig,
  exampleManifestFiles,
  exampleManifests,
  SHA,
  useApps,
  useFakeGitHub,
} from "../helpers/appHarness.js";
import { exampleAppCopy, runGimlet } from "../helpers/cli.js";
import type { GitHubCall } from "../helpers/githubStandIn.js";
import { tempDir } from "../helpers/gitRepos.js";

const gh = useFakeGitHub();
const apps = useApps();
const ARTIFACT_FILES = "/repos/acme/gitops-staging/contents/acme/shop/";

/** Two replicas over one stand-in and one gitops root; an API token for acme/*. */
async function replicas(): Promise<{ a: AppHarness; b: AppHarness; token: string }> {
  const bot = ApiTokenStore.generate({ name: "release-bot", repositories: ["acme/*"] });
  const root = tempDir("gimlet-not-stored-");
  const [a, b] = await Promise.all([
    apps.start({ root, tokens: [bot.record] }),
    apps.start({ root, tokens: [bot.record] }),
  ]);
  gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig, ...exampleManifestFiles });
  return { a, b, token: bot.token };
}

/** Ship on replica `a` with GitHub holding the artifact file's write (commit first: it comes after the deploy's). */
async function shipWithFileHeld(a: AppHarness, token: string): Promise<{ id: string; store: () => void }> {
  const store = gh.current.hold((c) => c.method === "PUT" && c.path.startsWith(ARTIFACT_FILES));
  const shipped = await api(a, "POST", "/api/artifacts", {
    token,
    body: exampleArtifact({ files: [".gimlet/staging.yaml"] }),
  });
  expect(shipped.status).toBe(201);
  return { id: shipped.body.id as string, store };
}

const fileReads = (id: string) => (c: GitHubCall) => c.method === "GET" && c.path.endsWith(`/${id}.json`);

describe("a release asked for on another replica before the artifact file is stored", () => {
  test("is 503 artifact_not_stored_yet with Retry-After, never a false 404; once stored it releases", async () => {
    const { a, b, token } = await replicas();
    const { id, store } = await shipWithFileHeld(a, token);

    const early = await fetch(`${b.url}/api/releases`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ env: "staging", artifactId: id, repository: "acme/shop" }),
    });
    expect(early.status).toBe(503);
    expect(early.headers.get("retry-after")).toBe("1");
    expect(await early.json()).toEqual({
      error: {
        code: "transient",
        reasonCode: "artifact_not_stored_yet",
        message: expect.stringMatching(
          new RegExp(`^artifact ${id} was accepted \\d+ s ago and is not stored on GitHub yet`),
        ),
        details: [],
      },
    });
    // what it cost: one read of the file, whose path the id gives
    expect(gh.current.calls.filter(fileReads(id)).map((c) => c.status)).toEqual([404]);

    store();
    await a.waitIdle();
    const late = await api(b, "POST", "/api/releases", {
      token,
      body: { env: "staging", artifactId: id, repository: "acme/shop" },
    });
    expect(late.status).toBe(202);
    expect(late.body.releases).toEqual([{ env: "staging", app: "shop", trackingId: expect.any(String) }]);
    await b.waitIdle();
  });

  test("an id minted long ago whose file is missing stays a 404", async () => {
    const { b, token } = await replicas();
    // 01M80V4X3B: a ULID minted in 2019
    const id = `acme-shop-01M80V4X3BC26C1F9406Q90D9W-${SHA}`;
    const response = await api(b, "POST", "/api/releases", {
      token,
      body: { env: "staging", artifactId: id, repository: "acme/shop" },
    });
    expect(response.status).toBe(404);
    expect(response.body.error).toEqual({
      code: "not_found",
      message: `no artifact ${id} in acme/shop`,
      details: [],
    });
  });

  test("the CLI's `release make` keeps asking after Retry-After until the file is stored, then releases", async () => {
    const { a, b, token } = await replicas();
    const { id, store } = await shipWithFileHeld(a, token);
    const cwd = exampleAppCopy();
    const made = runGimlet(["release", "make", "--env", "staging", "--artifact-id", id, "--repository", "acme/shop"], {
      cwd,
      env: { GIMLET_SERVER: b.url, GIMLET_TOKEN: token },
    });
    // the first ask was answered 503 (the file read found nothing): now let the write through
    while (!gh.current.calls.some((c) => fileReads(id)(c) && c.status === 404))
      await new Promise((resolve) => setTimeout(resolve, 10));
    store();
    const result = await made;
    expect(result).toEqual({ code: 0, stdout: expect.stringContaining("staging/shop: queued"), stderr: "" });
    const reads = gh.current.calls.filter(fileReads(id)).map((c) => c.status);
    expect(reads[0]).toBe(404);
    expect(reads.at(-1)).toBe(200);
    await Promise.all([a.waitIdle(), b.waitIdle()]);
  });

  test("a button pressed before the file is stored waits for it (a few looks, backing off), then releases", async () => {
    const { a, b, token } = await replicas();
    // a feature-branch artifact: no policy releases it, so its check run offers buttons; its file write fails once
    gh.current.failOnce((c) => c.method === "PUT" && c.path.startsWith(ARTIFACT_FILES), 422, "Validation Failed");
    const artifact = {
      ...exampleArtifact({ manifests: exampleManifests([".gimlet/production.yaml", ".gimlet/staging.yaml"]) }),
      vars: { TAG: "v2.0.0" },
    };
    artifact.version.branch = "feature/cart";
    const shipped = await api(a, "POST", "/api/artifacts", { token, body: artifact });
    expect(shipped.status).toBe(201);
    await a.waitIdle();
    const run = gh.current.checkRuns[0] as Record<string, any>;
    expect(run.actions.map((x: { identifier: string }) => x.identifier)).toContain("deploy:1");
    const stored = JSON.parse(/```json\n([\s\S]*)\n```/.exec(run.output.text)?.[1] ?? "{}") as StoredArtifact;
    expect(stored.id).toBe(shipped.body.id);

    const payload = buttonPress(run, 1);
    const pressed = deliver(b, "check_run", payload);
    // replica b looked and found nothing; the write lands (a late retry) while it waits
    while (!gh.current.calls.some((c) => fileReads(stored.id)(c) && c.status === 404))
      await new Promise((resolve) => setTimeout(resolve, 10));
    await storeArtifactFile(a.services.deps.forge, await a.services.configs.get("acme/shop"), stored);
    expect((await pressed).status).toBe(200);
    await b.waitIdle();
    expect([...gh.current.deployments.values()].map((d) => d.environment)).toEqual(["staging/shop"]);
    const reads = gh.current.calls.filter(fileReads(stored.id)).map((c) => c.status);
    expect(reads[0]).toBe(404);
    expect(reads.at(-1)).toBe(200);
    expect(reads.length).toBeLessThanOrEqual(5); // bounded: one look and at most four more
  });
});
