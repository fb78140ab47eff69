import type { JWTPayload } from "jose";
import { REPOSITORY_NAME } from "../../shared/names.js";
import { forbidden, unauthorized } from "./errors.js";
import type { OidcCaller, OidcIssuerKind } from "./identity.js";

export const CIRCLECI_VCS_ORIGIN = "oidc.circleci.com/vcs-origin";
export const CIRCLECI_VCS_REF = "oidc.circleci.com/vcs-ref";

/** Map the verified claims of a token to the caller; refuses a token that names no `owner/repo`. */
export function identityFromClaims(kind: OidcIssuerKind, payload: JWTPayload, vcsHost = "github.com"): OidcCaller {
  const claims = payload as Record<string, unknown>;
  const base = {
    kind: "oidc" as const,
    issuerKind: kind,
    issuer: String(payload.iss),
    subject: String(payload.sub),
    claims,
  };
  switch (kind) {
    case "github":
      return {
        ...base,
        repository: repositoryClaim(claims, "repository"),
        ref: str(claims.ref),
        actor: str(claims.actor),
      };
    case "gitlab":
      return {
        ...base,
        repository: repositoryClaim(claims, "project_path"),
        ref: gitlabRef(claims),
        actor: str(claims.user_login),
      };
    case "circleci":
      return { ...base, repository: circleciRepository(claims, vcsHost), ref: str(claims[CIRCLECI_VCS_REF]) };
  }
}

function repositoryClaim(claims: Record<string, unknown>, name: string): string {
  const value = claims[name];
  if (typeof value !== "string" || value === "")
    throw unauthorized("no_repository", `the token has no "${name}" claim, so it can't be bound to a repository`);
  if (!REPOSITORY_NAME.test(value))
    throw forbidden(
      "no_repository",
      `the token's "${name}" is ${quote(value)}, not owner/repo; only owner/repo repositories can ship artifacts`,
    );
  return value;
}

/** CircleCI's `vcs-origin` is `github.com/org/repo`; builds from a custom webhook (or without one) have none. */
function circleciRepository(claims: Record<string, unknown>, vcsHost: string): string {
  const origin = claims[CIRCLECI_VCS_ORIGIN];
  if (typeof origin !== "string" || origin === "") {
    throw unauthorized(
      "no_repository",
      `the CircleCI token has no "${CIRCLECI_VCS_ORIGIN}" claim (a build triggered by a custom webhook or another source), so it can't be bound to a repository; use $CIRCLE_OIDC_TOKEN_V2 from a VCS-triggered pipeline, or an API token`,
    );
  }
  const [, host = "", repository = ""] =
    /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/]+)\/([^/]+\/[^/]+?)(?:\.git)?\/?$/i.exec(origin) ?? [];
  if (!REPOSITORY_NAME.test(repository))
    throw forbidden("no_repository", `the CircleCI token's vcs-origin ${quote(origin)} is not <host>/owner/repo`);
  if (host.toLowerCase() !== vcsHost.toLowerCase()) {
    throw forbidden(
      "no_repository",
      `the CircleCI token is for ${quote(origin)}; only ${vcsHost} repositories can act here`,
    );
  }
  return repository;
}

/** GitLab's `ref` is a bare name; `ref_path` (newer instances) is the full ref. */
function gitlabRef(claims: Record<string, unknown>): string | undefined {
  const path = str(claims.ref_path);
  if (path) return path;
  const ref = str(claims.ref);
  if (!ref) return undefined;
  if (claims.ref_type === "branch") return `refs/heads/${ref}`;
  if (claims.ref_type === "tag") return `refs/tags/${ref}`;
  return ref;
}

const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** A claim a caller controls, safe to put in a message: JSON-quoted and cut to 200 characters. */
export function quote(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}
