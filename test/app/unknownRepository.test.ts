import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { type AppHarness, api, fluxEvent, postFlux, shaOf, useApps, useFakeGitHub } from "../helpers/appHarness.js";

const gh = useFakeGitHub();
const apps = useApps();
const AGENT_TOKEN = "agent-token-for-tests-0123456789";

/** Everything under the app's work dir and the local gitops root: what a refused event must not add to. */
function diskState(app: AppHarness): string[] {
  const workDir = dirname(app.services.deps.writer.clonePath({ repo: "acme/x" }));
  const list = (dir: string): string[] =>
    existsSync(dir) ? readdirSync(dir, { recursive: true }).map((p) => `${dir}/${String(p)}`) : [];
  return [...list(workDir), ...list(join(app.root, "gitops"))].sort();
}

describe("events naming a repository this server can't reach touch no disk", () => {
  test.each([
    ["an unknown repository", "acme/no-such-gitops"],
    ["another unknown one", "someone/else"],
  ])("a signed Flux event for %s: 404, no clone, no bare repo", async (_, repository) => {
    const app = await apps.start();
    const before = diskState(app);
    const response = await postFlux(app, encodeURIComponent(repository), fluxEvent(shaOf(1)));
    expect(response.status).toBe(404);
    expect(response.body.error.details).toEqual([
      { path: "repository", message: "not a gitops repository this server can reach" },
    ]);
    expect(diskState(app)).toEqual(before);
    expect(gh.current.lines()).toEqual([]);
  });

  test.each([
    ["a name that is not a repository", "acme/.."],
    ["a dot name", "./."],
  ])("a signed Flux event for %s: 400 naming the parameter, no clone, no bare repo", async (_, repository) => {
    const app = await apps.start();
    const before = diskState(app);
    const response = await postFlux(app, encodeURIComponent(repository), fluxEvent(shaOf(1)));
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ path: "repository", message: expect.any(String) }]);
    expect(diskState(app)).toEqual(before);
    expect(gh.current.lines()).toEqual([]);
  });

  test("a hundred made-up names leave no folders behind", async () => {
    const app = await apps.start();
    const before = diskState(app);
    for (let n = 0; n < 100; n++) {
      const response = await postFlux(app, `acme/made-up-${n}`, fluxEvent(shaOf(n)));
      expect(response.status).toBe(404);
    }
    expect(diskState(app)).toEqual(before);
  });

  test("an agent event for an unknown repository: 404, nothing on disk", async () => {
    const app = await apps.start();
    app.services.agentTokens.push({ sha256: createHash("sha256").update(AGENT_TOKEN).digest("hex") });
    const before = diskState(app);
    const response = await api(app, "POST", "/api/agent/events?repository=acme/no-such-gitops", {
      token: AGENT_TOKEN,
      body: { env: "staging", app: "shop", gitopsRevision: shaOf(2), ready: 1, desired: 1 },
    });
    expect(response.status).toBe(404);
    expect(diskState(app)).toEqual(before);
  });

  test("the writer itself leaves no folder for a remote that does not resolve", async () => {
    const app = await apps.start();
    const writer = app.services.deps.writer;
    const before = diskState(app);
    await expect(writer.releaseCommits({ repo: "acme/.." }, shaOf(3))).rejects.toThrow(/not a repository name/);
    await expect(writer.readLock({ repo: join(app.root, "nowhere.git"), env: "staging" })).rejects.toThrow();
    expect(diskState(app)).toEqual(before);
  });
});
