export type OidcIssuerKind = "github" | "circleci" | "gitlab";

/** A CI job proven by an OIDC token from a trusted issuer; it acts for exactly one repository. */
export interface OidcCaller {
  kind: "oidc";
  issuerKind: OidcIssuerKind;
  /** The token's `iss`. */
  issuer: string;
  subject: string;
  /** `owner/repo`, as the issuer spells it. */
  repository: string;
  /** A full ref (`refs/heads/main`, `refs/tags/v1`) when the token names one. */
  ref?: string;
  /** The user who started the job, when the issuer says (GitHub `actor`, GitLab `user_login`). */
  actor?: string;
  /** Every verified claim, for audit logs. */
  claims: Record<string, unknown>;
}

/** A holder of a static API token; it acts for the repositories its globs match. */
export interface TokenCaller {
  kind: "token";
  name: string;
  repositories: string[];
  /** Globs of the environments it may release to; absent: all. */
  environments?: string[];
}

export type CallerIdentity = OidcCaller | TokenCaller;

/** One line naming the caller for logs and a deployment's `triggeredBy`: `github:acme/shop@refs/heads/main (octocat)`, `token:release-bot`. */
export function describeCaller(caller: CallerIdentity): string {
  if (caller.kind === "token") return `token:${caller.name}`;
  const ref = caller.ref ? `@${caller.ref}` : "";
  const actor = caller.actor ? ` (${caller.actor})` : "";
  return `${caller.issuerKind}:${caller.repository}${ref}${actor}`;
}
