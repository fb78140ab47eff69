import { bearerToken } from "./bearer.js";
import { matchesAnyDigest, sha256Hex } from "./digest.js";
import { forbidden, unauthorized } from "./errors.js";

/**
 * Check the cluster agent's `Authorization: Bearer <token>` against the configured SHA-256 hashes
 * (several, so a token can be rotated without downtime). Constant time; AuthError 401 on a missing or unknown token.
 */
export function verifyAgentToken(header: string | undefined, expectedSha256Hashes: readonly string[]): void {
  const token = bearerToken(header);
  if (expectedSha256Hashes.length === 0)
    throw unauthorized(
      "unknown_token",
      "this server accepts no agent tokens; configure the agent token's sha256 on the server",
    );
  if (matchesAnyDigest(sha256Hex(token), expectedSha256Hashes) < 0) {
    throw unauthorized(
      "unknown_token",
      "unknown agent token; the agent's token does not match any hash configured on the server",
    );
  }
}

/** An agent token's hash and, optionally, the one gitops repository its cluster may report on. */
export interface AgentTokenRecord {
  sha256: string;
  repository?: string;
}

/** `GIMLET_AGENT_TOKENS`: comma-separated `<sha256>` or `<sha256>=<owner/gitops repo>` entries. */
export function parseAgentTokens(text: string | undefined): AgentTokenRecord[] {
  if (!text) return [];
  return text.split(",").map((entry) => {
    const [sha256 = "", repository] = entry.trim().split("=");
    return repository ? { sha256: sha256.toLowerCase(), repository } : { sha256: sha256.toLowerCase() };
  });
}

/**
 * Check the agent's bearer token, and that a token scoped to a gitops repository reports on that repository only:
 * a staging cluster's token can't turn production deployments green. AuthError 401 / 403.
 */
export function verifyScopedAgentToken(
  header: string | undefined,
  records: readonly AgentTokenRecord[],
  repository: string,
): void {
  verifyAgentToken(
    header,
    records.map((r) => r.sha256),
  );
  const index = matchesAnyDigest(
    sha256Hex(bearerToken(header)),
    records.map((r) => r.sha256),
  );
  const scope = records[index]?.repository;
  if (scope && scope.toLowerCase() !== repository.toLowerCase()) {
    throw forbidden("repository_forbidden", `this agent token reports on ${scope}; it can't report on ${repository}`);
  }
}
