import { createHash, createHmac } from "node:crypto";
import { describe, expect, test } from "@jest/globals";
import { AuthError, signFluxPayload, verifyAgentToken, verifyFluxSignature } from "../../app/auth/index.js";

const SECRET = "flux-webhook-secret";
const body = Buffer.from(
  JSON.stringify({
    involvedObject: { kind: "Kustomization", name: "apps" },
    severity: "info",
    reason: "ReconciliationSucceeded",
  }),
);

function refusal(fn: () => unknown): AuthError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error("expected an AuthError");
}

describe("verifyFluxSignature", () => {
  test("a valid sha256 signature passes; so do sha1/sha384/sha512 and upper-case hex", () => {
    const signature = signFluxPayload(body, SECRET);
    expect(signature).toBe(`sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`);
    expect(() => verifyFluxSignature(body, signature, SECRET)).not.toThrow();
    for (const alg of ["sha1", "sha384", "sha512"] as const)
      expect(() => verifyFluxSignature(body, signFluxPayload(body, SECRET, alg), SECRET)).not.toThrow();
    expect(() => verifyFluxSignature(body, signature.toUpperCase(), SECRET)).not.toThrow();
  });

  test("a wrong secret is refused", () => {
    const error = refusal(() => verifyFluxSignature(body, signFluxPayload(body, "other"), SECRET));
    expect(error).toMatchObject({ status: 401, reason: "bad_hmac" });
    expect(error.message).toContain("does not match the body");
  });

  test("a tampered body is refused", () => {
    const tampered = Buffer.from(body.toString().replace("info", "error"));
    expect(refusal(() => verifyFluxSignature(tampered, signFluxPayload(body, SECRET), SECRET))).toMatchObject({
      status: 401,
      reason: "bad_hmac",
    });
  });

  test("a missing header is refused", () => {
    expect(refusal(() => verifyFluxSignature(body, undefined, SECRET)).message).toMatch(/^missing X-Signature header/);
  });

  test("malformed headers are refused", () => {
    const hex = createHmac("sha256", SECRET).update(body).digest("hex");
    for (const header of [hex, `md5=${hex}`, `sha256=${hex.slice(2)}`, `sha256=${hex}zz`, `sha1=${hex}`, "sha256="]) {
      expect(refusal(() => verifyFluxSignature(body, header, SECRET)).message).toMatch(/^malformed X-Signature header/);
    }
  });

  test("an empty secret is a server error, not a pass", () => {
    expect(() => verifyFluxSignature(body, signFluxPayload(body, ""), "")).toThrow("the Flux webhook secret is empty");
  });
});

describe("verifyAgentToken", () => {
  const token = "agent-token-0123456789abcdef";
  const hashes = [
    createHash("sha256").update("old-token").digest("hex"),
    createHash("sha256").update(token).digest("hex").toUpperCase(),
  ];

  test("a token matching any configured hash passes", () => {
    expect(() => verifyAgentToken(`Bearer ${token}`, hashes)).not.toThrow();
    expect(() => verifyAgentToken("Bearer old-token", hashes)).not.toThrow();
  });

  test("a wrong, missing or unconfigured token is 401", () => {
    expect(refusal(() => verifyAgentToken("Bearer nope", hashes))).toMatchObject({
      status: 401,
      reason: "unknown_token",
    });
    expect(refusal(() => verifyAgentToken(undefined, hashes))).toMatchObject({ status: 401, reason: "missing_token" });
    expect(refusal(() => verifyAgentToken(`Bearer ${token}`, []))).toMatchObject({
      status: 401,
      reason: "unknown_token",
    });
    expect(refusal(() => verifyAgentToken(`Bearer ${token}`, ["not-hex"]))).toMatchObject({ status: 401 });
  });
});

describe("agent tokens", () => {
  test("a token scoped to a gitops repository reports on that repository only", async () => {
    const { parseAgentTokens, sha256Hex, verifyScopedAgentToken } = await import("../../app/auth/index.js");
    const records = parseAgentTokens(`${sha256Hex("staging-agent")}=acme/gitops-staging,${sha256Hex("any-agent")}`);
    expect(() => verifyScopedAgentToken("Bearer staging-agent", records, "acme/gitops-staging")).not.toThrow();
    expect(() => verifyScopedAgentToken("Bearer staging-agent", records, "acme/gitops-production")).toThrow(
      "this agent token reports on acme/gitops-staging; it can't report on acme/gitops-production",
    );
    expect(() => verifyScopedAgentToken("Bearer any-agent", records, "acme/gitops-production")).not.toThrow();
    expect(() => verifyScopedAgentToken("Bearer nope", records, "acme/gitops-staging")).toThrow(/unknown agent token/);
  });
});
