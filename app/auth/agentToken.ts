import { bearerToken } from "./bearer.js";
import { matchesAnyDigest, sha256Hex } from "./digest.js";
import { unauthorized } from "./errors.js";

/**
 * Check the cluster agent's `Authorization: Bearer <token>` against the configured SHA-256 hashes
 * (several, so a token can be rotated without downtime). Constant time; AuthError 401 on a missing or unknown token.
 */
export function verifyAgentToken(header: string | undefined, expectedSha256Hashes: readonly string[]): void {
  const token = bearerToken(header);
  if (expectedSha256Hashes.length === 0) throw unauthorized("unknown_token", "this server accepts no agent tokens; configure the agent token's sha256 on the server");
  if (matchesAnyDigest(sha256Hex(token), expectedSha256Hashes) < 0) {
    throw unauthorized("unknown_token", "unknown agent token; the agent's token does not match any hash configured on the server");
  }
}
