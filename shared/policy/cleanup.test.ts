import { describe, expect, test } from "@jest/globals";
import { ConfigError } from "../errors.js";
import { parseManifest } from "../manifest/index.js";
import { evaluateCleanupPolicy, parseDuration, previewExpired } from "./cleanup.js";
import { previewAppName, previewHost, previewManifest } from "./preview.js";

const manifest = (extra: Record<string, unknown>) => parseManifest({ app: "shop", env: "staging", ...extra }, "m.yaml");

describe("cleanup policy (DESIGN §5)", () => {
  const branchApps = manifest({
    app: "shop-{{ .BRANCH | sanitizeDNSName }}",
    cleanup: { event: "branchDeleted", branch: "feature/*", app: "shop-{{ .BRANCH | sanitizeDNSName }}" },
  });

  test("a deleted branch matching the glob removes the templated app", () => {
    expect(evaluateCleanupPolicy(branchApps, { event: "branchDeleted", branch: "feature/Login_Form" })).toMatchObject({
      cleanup: true,
      app: "shop-feature-login-form",
      env: "staging",
      reasonCode: "cleanup",
    });
  });
  test("a branch outside the glob is left alone", () => {
    expect(evaluateCleanupPolicy(branchApps, { event: "branchDeleted", branch: "fix/x" })).toMatchObject({
      cleanup: false,
      reasonCode: "branch_mismatch",
    });
  });
  test("the event must match", () => {
    expect(evaluateCleanupPolicy(branchApps, { event: "prClosed", branch: "feature/x", prNumber: 3 })).toMatchObject({
      cleanup: false,
      reasonCode: "event_mismatch",
    });
  });
  test("a negated branch glob never fires for that branch (differs from Gimlet)", () => {
    const m = manifest({ cleanup: { event: "branchDeleted", branch: "!main", app: "shop-{{ .BRANCH }}" } });
    expect(evaluateCleanupPolicy(m, { event: "branchDeleted", branch: "main" })).toMatchObject({
      cleanup: false,
      reasonCode: "branch_mismatch",
    });
    expect(evaluateCleanupPolicy(m, { event: "branchDeleted", branch: "dev" })).toMatchObject({
      cleanup: true,
      app: "shop-dev",
    });
  });
  test("PR_NUMBER is available to the app template", () => {
    const m = manifest({ cleanup: { event: "prClosed", app: "shop-pr-{{ .PR_NUMBER }}" } });
    expect(evaluateCleanupPolicy(m, { event: "prClosed", branch: "x", prNumber: 9 })).toMatchObject({
      cleanup: true,
      app: "shop-pr-9",
    });
  });
  test("a missing variable in the app template is a ConfigError naming it", () => {
    const m = manifest({ cleanup: { event: "branchDeleted", app: "shop-pr-{{ .PR_NUMBER }}" } });
    expect(() => evaluateCleanupPolicy(m, { event: "branchDeleted", branch: "x" })).toThrow(/PR_NUMBER/);
  });
  test("no cleanup block: nothing happens", () => {
    expect(evaluateCleanupPolicy(manifest({}), { event: "branchDeleted", branch: "x" })).toMatchObject({
      cleanup: false,
      reasonCode: "no_cleanup_policy",
    });
  });
  test("previews go when their PR closes or their branch is deleted", () => {
    const preview = manifest({ preview: true });
    expect(evaluateCleanupPolicy(preview, { event: "prClosed", branch: "feature/x", prNumber: 42 })).toMatchObject({
      cleanup: true,
      app: "shop-pr-42",
      reasonCode: "preview_cleanup",
    });
    expect(evaluateCleanupPolicy(preview, { event: "branchDeleted", branch: "feature/x", prNumber: 42 })).toMatchObject(
      { cleanup: true, app: "shop-pr-42" },
    );
    expect(evaluateCleanupPolicy(preview, { event: "branchDeleted", branch: "feature/x" })).toMatchObject({
      cleanup: false,
      reasonCode: "preview_unknown_pr",
    });
  });
});

describe("previews", () => {
  test("naming", () => {
    expect(previewAppName("shop", 42)).toBe("shop-pr-42");
    expect(previewAppName("{{ .BRANCH | sanitizeDNSName }}", 42)).toBe("{{ .BRANCH | sanitizeDNSName }}");
    const long = previewAppName("a".repeat(70), 12345);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long.endsWith("-pr-12345")).toBe(true);
  });
  test("hosts get the same prefix rewrite", () => {
    expect(previewHost("shop.preview.acme.dev", 42)).toBe("shop-pr-42.preview.acme.dev");
    const m = previewManifest(
      manifest({
        preview: true,
        values: { ingress: { host: "shop.preview.acme.dev" }, ingresses: [{ host: "api.preview.acme.dev" }] },
      }),
      42,
    );
    expect(m.app).toBe("shop-pr-42");
    expect(m.values).toEqual({
      ingress: { host: "shop-pr-42.preview.acme.dev" },
      ingresses: [{ host: "api-pr-42.preview.acme.dev" }],
    });
  });
  test("ttl", () => {
    expect(parseDuration("72h")).toBe(72 * 3_600_000);
    expect(parseDuration("1d12h")).toBe(36 * 3_600_000);
    expect(() => parseDuration("3 days")).toThrow(ConfigError);
    const preview = manifest({ preview: true, cleanup: { ttl: "72h" } });
    const deployed = new Date("2026-11-01T00:00:00Z");
    expect(previewExpired(preview, deployed, new Date("2026-11-03T23:59:59Z"))).toBe(false);
    expect(previewExpired(preview, deployed, new Date("2026-11-04T00:00:00Z"))).toBe(true);
    expect(previewExpired(manifest({ preview: true }), deployed, new Date("2030-01-01"))).toBe(false);
  });
});
