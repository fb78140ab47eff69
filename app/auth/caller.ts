import { type ApiTokenStore, isApiToken } from "./apiTokens.js";
import { bearerToken } from "./bearer.js";
import { forbidden, unauthorized } from "./errors.js";
import type { CallerIdentity } from "./identity.js";
import type { OidcVerifier } from "./oidc.js";
import { environmentInScope, repositoryInScope } from "./scope.js";

export interface AuthDeps {
  oidc?: OidcVerifier;
  tokens?: ApiTokenStore;
}

/**
 * Who is calling: `Bearer gmlt_...` is an API token, any other bearer an OIDC token.
 * AuthError 401 when the header is missing or the credential doesn't verify; `Transient` when an issuer can't be reached.
 */
export async function authenticate(authorizationHeader: string | undefined, deps: AuthDeps): Promise<CallerIdentity> {
  const token = bearerToken(authorizationHeader);
  if (isApiToken(token)) {
    if (!deps.tokens)
      throw unauthorized("unknown_token", "this server accepts no API tokens; use an OIDC token from your CI");
    return deps.tokens.verify(token);
  }
  if (!deps.oidc)
    throw unauthorized("untrusted_issuer", `this server accepts no OIDC tokens; use an API token (gmlt_...)`);
  return deps.oidc.verify(token);
}

/**
 * May `caller` act for `repository` (an artifact's `repositoryName`)? An OIDC caller only for its own repository,
 * an API token for the repositories its globs match; AuthError 403 otherwise. Names compare case-insensitively.
 */
export function authorizeRepository(caller: CallerIdentity, repository: string): void {
  if (caller.kind === "oidc") {
    if (caller.repository.toLowerCase() === repository.toLowerCase()) return;
    throw forbidden("repository_forbidden", `the token is for ${caller.repository}; it can't act for ${repository}`);
  }
  if (repositoryInScope(caller.repositories, repository)) return;
  throw forbidden(
    "repository_forbidden",
    `API token "${caller.name}" may act for ${caller.repositories.join(", ")}; it can't act for ${repository}`,
  );
}

/**
 * Why `caller` may not release to `env`, or undefined when it may: an API token that names its `environments` only to
 * those (an OIDC caller is bound to its ref instead, and the environment's guards judge that ref).
 */
export function environmentRefusal(caller: CallerIdentity, env: string): string | undefined {
  if (caller.kind !== "token" || !caller.environments || environmentInScope(caller.environments, env)) return undefined;
  return `API token "${caller.name}" may release to ${caller.environments.join(", ")}; not to ${env}`;
}

/** AuthError 403 `environment_forbidden` unless `caller` may release to `env`. */
export function authorizeEnvironment(caller: CallerIdentity, env: string): void {
  const refusal = environmentRefusal(caller, env);
  if (refusal) throw forbidden("environment_forbidden", refusal);
}
