import { describe, expect, test } from "@jest/globals";
import { trackingFinal, trackingStatus } from "../../app/releases/tracking.js";
import type { DeploymentState, DeploymentStatus } from "../../shared/ports.js";

/** Statuses newest first, as GitHub lists them; descriptions left empty: tracking must not need them. */
const statuses = (...states: DeploymentState[]): DeploymentStatus[] =>
  states.map((state, i) => ({ id: states.length - i, state, createdAt: "2026-01-01T00:00:00Z" }));
const flux = { successMeans: "applied" };
const agent = { successMeans: "healthy" };

describe("tracking reads status states and the deployment payload, never descriptions", () => {
  test("a release's life with Flux as the judge: queued, committed, applied", () => {
    expect(trackingStatus([], flux)).toBe("queued");
    expect(trackingStatus(statuses("queued"), flux)).toBe("queued");
    expect(trackingStatus(statuses("in_progress", "queued"), flux)).toBe("committed");
    expect(trackingStatus(statuses("success", "in_progress", "queued"), flux)).toBe("applied");
    expect(trackingFinal(statuses("success", "in_progress", "queued"))).toBe(true);
  });

  test("with the agent as the judge: committed, applied (a second in_progress), healthy", () => {
    expect(trackingStatus(statuses("in_progress", "queued"), agent)).toBe("committed");
    expect(trackingStatus(statuses("in_progress", "in_progress", "queued"), agent)).toBe("applied");
    expect(trackingFinal(statuses("in_progress", "in_progress", "queued"))).toBe(false);
    expect(trackingStatus(statuses("success", "in_progress", "in_progress", "queued"), agent)).toBe("healthy");
  });

  test("a Flux failure then a success on the next reconcile: failed, then applied again", () => {
    expect(trackingStatus(statuses("failure", "in_progress", "queued"), agent)).toBe("failed");
    expect(trackingStatus(statuses("in_progress", "failure", "in_progress", "queued"), agent)).toBe("applied");
    expect(trackingStatus(statuses("success", "failure", "in_progress", "queued"), flux)).toBe("applied");
  });

  test("error is failed, inactive (superseded) was applied, and a payload from before successMeans means applied", () => {
    expect(trackingStatus(statuses("error", "queued"), flux)).toBe("failed");
    expect(trackingStatus(statuses("inactive", "success", "in_progress", "queued"), agent)).toBe("applied");
    expect(trackingStatus(statuses("success", "in_progress", "queued"), { artifactId: "a" })).toBe("applied");
    expect(trackingStatus(statuses("success", "in_progress", "queued"), undefined)).toBe("applied");
  });

  test("descriptions do not change the answer", () => {
    const misleading = statuses("in_progress", "queued").map((s) => ({
      ...s,
      description: "Applied by Flux; Healthy",
    }));
    expect(trackingStatus(misleading, agent)).toBe("committed");
  });
});
