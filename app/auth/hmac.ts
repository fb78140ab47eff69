import { createHmac, timingSafeEqual } from "node:crypto";
import { unauthorized } from "./errors.js";

/** The hash functions Flux notification-controller's `generic-hmac` provider may sign with. */
export type FluxHmacAlgorithm = "sha1" | "sha256" | "sha384" | "sha512";
const DIGEST_BYTES: Record<FluxHmacAlgorithm, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/**
 * Check the `X-Signature: <alg>=<hex>` header of a Flux `generic-hmac` event against the raw request body
 * (the bytes as received, before JSON parsing). AuthError 401 on a missing, malformed or wrong signature.
 */
export function verifyFluxSignature(rawBody: Buffer, header: string | undefined, secret: string): void {
  if (!secret)
    throw new Error(
      "the Flux webhook secret is empty; configure the secret the Flux Provider's secretRef holds (key `token`)",
    );
  if (header === undefined || header.trim() === "") {
    throw unauthorized(
      "bad_hmac",
      "missing X-Signature header; use a Flux Provider of type generic-hmac with a secretRef",
    );
  }
  const match = /^\s*(sha1|sha256|sha384|sha512)=([0-9a-fA-F]+)\s*$/i.exec(header);
  const alg = match?.[1]?.toLowerCase() as FluxHmacAlgorithm | undefined;
  const digest = match?.[2];
  if (!alg || !digest || digest.length !== DIGEST_BYTES[alg] * 2) {
    throw unauthorized("bad_hmac", "malformed X-Signature header; expected <sha1|sha256|sha384|sha512>=<hex digest>");
  }
  const expected = createHmac(alg, secret).update(rawBody).digest();
  if (!timingSafeEqual(expected, Buffer.from(digest, "hex"))) {
    throw unauthorized(
      "bad_hmac",
      "X-Signature does not match the body; the Flux Provider's secret differs from the server's, or the body was altered",
    );
  }
}

/** The `X-Signature` value Flux would send for `body` (for tests and local tools). */
export function signFluxPayload(body: Buffer | string, secret: string, alg: FluxHmacAlgorithm = "sha256"): string {
  return `${alg}=${createHmac(alg, secret).update(body).digest("hex")}`;
}
