import { type ApiTokenStore, isApiToken } from "./apiTokens.js";
import { bearerToken } from "./bearer.js";
import { forbidden, unauthorized } from "./errors.js";
import type { CallerIdentity } from "./identity.js";
import type { OidcVerifier } from "./oidc.js";
import { repositoryInScope } from "./scope.js";

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
