import { describe, expect, test } from "@jest/globals";
import { actionsToken, api, exampleArtifact, exampleConfig, useApps, useFakeGitHub } from "../helpers/appHarness.js";

const gh = useFakeGitHub({ latencyMs: { min: 0, max: 0 } });
const apps = useApps();

// The stand-in's own contract: the suite runs with Probot's throttle on, and a client writing faster gets GitHub's
// secondary-limit answer and a failed test.
describe("the GitHub stand-in and Probot's throttle", () => {
  test("with throttling on (its limiters scaled), none of a deploy's writes is refused", async () => {
    const app = await apps.start();
    gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig });
    const response = await api(app, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact(),
    });
    expect(response.status).toBe(201);
    await app.waitIdle();
    const writes = gh.current.calls.filter((c) => c.kind === "write");
    expect(writes.length).toBe(6);
    expect(writes.every((c) => c.status < 400)).toBe(true);
    expect(gh.current.violations).toEqual([]);
  });

  test("with throttling off (how tests ran before), the stand-in answers 403 secondary rate limit and records it", async () => {
    const app = await apps.start({ throttled: false });
    gh.current.serve("acme/shop", { ".github/gimlet.yml": exampleConfig });
    const response = await api(app, "POST", "/api/artifacts", {
      token: await actionsToken(apps.oidc()),
      body: exampleArtifact(),
    });
    expect(response.status).toBe(201); // commit first: the API and the push never waited for GitHub
    await app.waitIdle();
    expect(gh.current.violations.length).toBeGreaterThan(0);
    expect(gh.current.calls.some((c) => c.kind === "write" && c.status === 403)).toBe(true);
    gh.current.violations.length = 0; // seen: this test is about them
  });
});
