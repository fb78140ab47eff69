import { describe, expect, test } from "@jest/globals";
import {
  artifactFromCheckRunText,
  artifactJsonText,
  type DecisionLike,
  deployButtons,
} from "../../app/releases/checkRunView.js";
import { parseArtifact, type StoredArtifact } from "../../shared/artifact/index.js";

const decision = (env: string, extra: Partial<DecisionLike> = {}): DecisionLike => ({
  env,
  app: "shop",
  deploy: false,
  reasonCode: "no_policy",
  reason: "no deploy policy",
  ...extra,
});

describe("Deploy to <env> buttons", () => {
  test("one per env the policy does not release, in manifest order, at most three", () => {
    const buttons = deployButtons([
      decision("dev"),
      decision("qa"),
      decision("staging", { deploy: true, reasonCode: "matched" }),
      decision("uat"),
      decision("production"),
    ]);
    expect(buttons).toEqual([
      { label: "Deploy to dev", description: "Release shop to dev", identifier: "deploy:0" },
      { label: "Deploy to qa", description: "Release shop to qa", identifier: "deploy:1" },
      { label: "Deploy to uat", description: "Release shop to uat", identifier: "deploy:3" },
    ]);
  });

  test("none for an env being released, a preview of a non-PR artifact, an invalid manifest, or one that can't release", () => {
    const decisions = [
      decision("staging", { reasonCode: "preview_needs_pr", preview: true }),
      decision("staging", { deploy: true, reasonCode: "matched" }),
      decision("qa", { reasonCode: "invalid_manifest" }),
      decision("production", { reasonCode: "event_mismatch" }),
      decision("dev"),
    ];
    expect(deployButtons(decisions, (index) => index !== 3)).toEqual([
      { label: "Deploy to dev", description: "Release shop to dev", identifier: "deploy:4" },
    ]);
  });

  test("labels stay within GitHub's 20 characters", () => {
    const [button] = deployButtons([decision("performance-testing")]);
    expect(button!.label.length).toBeLessThanOrEqual(20);
    expect(button!.description.length).toBeLessThanOrEqual(40);
  });
});

describe("the artifact JSON in the check run", () => {
  const artifact = {
    ...parseArtifact({
      version: { repositoryName: "acme/shop", sha: "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d", branch: "main" },
    }),
    id: "acme-shop-01",
    created: "2026-11-22T00:00:00.000Z",
  } as StoredArtifact;

  test("round-trips", () => {
    expect(artifactFromCheckRunText(artifactJsonText(artifact))).toEqual(artifact);
  });

  test("stays within GitHub's 65,535 characters; the artifact file keeps the whole of it", () => {
    const big = { ...artifact, vars: { BIG: "x".repeat(70_000) } };
    const text = artifactJsonText(big);
    expect(text.length).toBeLessThanOrEqual(65_535);
    expect(text).toMatch(/stored whole in the artifact file/);
  });
});
