import { afterEach, beforeEach, expect } from "@jest/globals";
import nock from "nock";
import { FakeGitHub, type FakeGitHubOptions } from "./githubStandIn.js";

export * from "./githubStandIn.js";

/** The stand-in of the running test, for the harness' limiter to report its releases to. */
export const standIn: { current?: FakeGitHub } = {};

/** What tests run with: 0–5 ms a call, and Probot's throttle on with its write spacing scaled to 1/40 (25 ms). */
export const TEST_WRITE_SPACING_MS = 25;

/**
 * A fresh fake GitHub per test (nock only at api.github.com; loopback passes). Read it after `beforeEach`. By
 * default it enforces the write spacing the test harness' throttle keeps (TEST_WRITE_SPACING_MS).
 */
export function useFakeGitHub(options: FakeGitHubOptions = {}): { readonly current: FakeGitHub } {
  const settings = { latencyMs: { min: 0, max: 5 }, writeSpacingMs: TEST_WRITE_SPACING_MS, ...options };
  const holder = { current: new FakeGitHub(settings) };
  beforeEach(() => {
    nock.cleanAll();
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    holder.current = new FakeGitHub(settings);
    holder.current.limiterVisible = settings.writeSpacingMs > 0;
    holder.current.install();
    standIn.current = holder.current;
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    expect(holder.current.unmatched).toEqual([]); // the app called a GitHub endpoint the fake does not know
    expect(holder.current.violations).toEqual([]); // the app wrote faster than Probot's throttle allows
  });
  return holder;
}
