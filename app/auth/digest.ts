import { createHash, timingSafeEqual } from "node:crypto";

/** Lowercase hex SHA-256 of a secret, the form API and agent tokens are stored in. */
export function sha256Hex(value: string | Uint8Array): string {
  return createHash("sha256").update(value).digest("hex");
}

/**
 * Constant-time comparison of two hex digests. Different lengths or non-hex input compare unequal
 * (the length of a digest is not a secret).
 */
export function hexDigestsEqual(a: string, b: string): boolean {
  if (a.length !== b.length || a.length % 2 !== 0 || !HEX.test(a) || !HEX.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, "hex"), Buffer.from(b, "hex"));
}

/** Index of the candidate equal to `digest`, or -1; every candidate is compared, so timing doesn't tell which. */
export function matchesAnyDigest(digest: string, candidates: readonly string[]): number {
  let found = -1;
  for (const [i, candidate] of candidates.entries()) {
    if (hexDigestsEqual(digest, candidate.toLowerCase()) && found < 0) found = i;
  }
  return found;
}

const HEX = /^[0-9a-fA-F]*$/;
