import { expect, test } from "@jest/globals";
import { formatDuration, overdueVerdict, releaseFinal, takeTurn } from "../../app/releases/overdue.js";
import type { Deployment, DeploymentStatus } from "../../shared/ports.js";

const created = "2026-12-01T10:00:00Z";
const deployment: Deployment = {
  id: 9,
  repository: "acme/shop",
  ref: "main",
  sha: "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d",
  environment: "staging",
  payload: {},
  createdAt: created,
  url: "https://api.github.com/repos/acme/shop/deployments/9",
};
const at = (minutes: number) => new Date(Date.parse(created) + minutes * 60_000);
const status = (state: DeploymentStatus["state"], description?: string, id = 1): DeploymentStatus => ({
  id,
  state,
  createdAt: created,
  ...(description ? { description } : {}),
});
const TEN = 10 * 60_000;

test("young or final releases are left alone; past the deadline the verdict names what never came", () => {
  expect(overdueVerdict(deployment, [], at(9), TEN)).toEqual({ action: "none" });
  expect(overdueVerdict(deployment, [status("success", "Healthy: 2/2 ready")], at(60), TEN)).toEqual({
    action: "none",
  });
  expect(overdueVerdict(deployment, [status("failure", "Rollout failed")], at(60), TEN)).toEqual({ action: "none" });
  expect(overdueVerdict(deployment, [status("queued", "Queued by policy")], at(10), TEN)).toEqual({
    action: "error",
    reasonCode: "release_not_committed",
    description: "Not confirmed within 10m: no gitops commit was pushed for this release",
  });
  // an unchanged re-deploy names the release it follows in its payload; whatever its description says
  const follows = { ...deployment, payload: { follows: { repository: "acme/api", id: 12 } } };
  expect(overdueVerdict(follows, [status("in_progress", "Waiting")], at(3), TEN)).toEqual({
    action: "follow",
    leader: { repository: "acme/api", id: 12 },
  });
  // deployments made before the payload named it: the description of their status
  const follower = status(
    "in_progress",
    "Same content as release acme/shop#7 in acme/gitops@abcdef1: waiting for it to be confirmed",
  );
  expect(overdueVerdict(deployment, [follower], at(3), TEN)).toEqual({
    action: "follow",
    leader: { repository: "acme/shop", id: 7 },
  });
  expect(overdueVerdict(deployment, [follower], at(11), TEN)).toMatchObject({
    action: "error",
    reasonCode: "unchanged_not_confirmed",
    description: "Not confirmed within 10m: release acme/shop#7 with the same content was never confirmed",
  });
});

test("a failure is final only once the deadline has passed; durations read as people write them", () => {
  expect(releaseFinal(deployment, [status("failure")], at(5), TEN)).toBe(false);
  expect(releaseFinal(deployment, [status("failure")], at(10), TEN)).toBe(true);
  expect(releaseFinal(deployment, [status("error")], at(1), TEN)).toBe(true);
  expect(releaseFinal(deployment, [status("in_progress")], at(60), TEN)).toBe(false);
  expect([formatDuration(TEN), formatDuration(90_000), formatDuration(2_000), formatDuration(3_600_000)]).toEqual([
    "10m",
    "1m30s",
    "2s",
    "1h",
  ]);
});

test("a large installation is swept in turns of at most the cap, every repository in its turn", () => {
  const repos = ["a/1", "a/2", "a/3", "a/4", "a/5"];
  expect(takeTurn(repos, 10, 3)).toEqual(repos);
  expect([0, 1, 2].map((turn) => takeTurn(repos, 2, turn))).toEqual([
    ["a/1", "a/2"],
    ["a/3", "a/4"],
    ["a/5", "a/1"],
  ]);
});
