import type { ReasonCodeOf } from "../../shared/outcomes.js";

/** Why a caller was refused; stable strings the HTTP layer may put in `error.details`. */
export type AuthReason = ReasonCodeOf<
  | "missing_token"
  | "malformed_token"
  | "untrusted_issuer"
  | "alg_not_allowed"
  | "bad_signature"
  | "unknown_key"
  | "bad_audience"
  | "expired"
  | "not_yet_valid"
  | "invalid_claims"
  | "no_repository"
  | "unknown_token"
  | "repository_forbidden"
  | "environment_forbidden"
  | "ref_forbidden"
  | "bad_hmac"
>;

/**
 * A refused request. 401: we don't know who is calling (missing, malformed, forged or stale credentials);
 * 403: we know, and they may not do this. The message tells the caller what to fix.
 */
export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly reason: AuthReason,
    message: string,
  ) {
    super(message);
    this.name = "AuthError";
  }
}

export const unauthorized = (reason: AuthReason, message: string) => new AuthError(401, reason, message);
export const forbidden = (reason: AuthReason, message: string) => new AuthError(403, reason, message);
