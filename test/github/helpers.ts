import nock from "nock";
import { ProbotOctokit } from "probot";
import { GitHubForge } from "../../app/github/forge.js";

export const API = "https://api.github.com";
export const REPO = "acme/shop";

/** A real Probot octokit with a fixed installation token; retries and throttling off (STACK T4). */
export function testOctokit(): ProbotOctokit {
  return new ProbotOctokit({ auth: { token: "ghs_test" }, retry: { enabled: false }, throttle: { enabled: false } });
}

export function testForge(): GitHubForge {
  const octokit = testOctokit();
  return new GitHubForge(async () => octokit);
}

/** A body matcher that records what was sent, to assert it whole (nock's own matching is partial-friendly). */
export function capture(): { bodies: unknown[]; match: (body: unknown) => boolean } {
  const bodies: unknown[] = [];
  const match = (body: unknown): boolean => {
    bodies.push(body);
    return true;
  };
  return { bodies, match };
}

export function useNock(): void {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    nock.enableNetConnect();
    expect(pending).toEqual([]);
  });
}
