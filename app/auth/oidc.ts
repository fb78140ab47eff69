import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";
import { Transient, toError } from "../../shared/errors.js";
import { identityFromClaims, quote } from "./claims.js";
import { AuthError, forbidden, unauthorized } from "./errors.js";
import type { OidcCaller, OidcIssuerKind } from "./identity.js";
import { repositoryInScope } from "./scope.js";

export interface OidcIssuerConfig {
  kind: OidcIssuerKind;
  /** The exact `iss`; for CircleCI a prefix ending in `/` (`https://oidc.circleci.com/org/`) trusts every organization. */
  issuer: string;
  /** Overrides the verifier's audience for this issuer (CircleCI's is the organization id). */
  audience?: string | string[];
  /** Globs the tokens of this issuer may act for (`["acme/*"]`); default: any repository. */
  repositories?: string[];
  /** CircleCI: the VCS host a `vcs-origin` must be on; default `github.com`. */
  vcsHost?: string;
}

export interface OidcVerifierOptions {
  issuers: OidcIssuerConfig[];
  audience: string | string[];
  /** Timeout of the discovery and JWKS requests; default 5000. */
  fetchTimeoutMs?: number;
  /** Leeway for `exp`/`nbf`/`iat`; default 60. */
  clockToleranceSec?: number;
  /** Least time between two JWKS refetches for an unknown `kid`; default 30000 (jose's). */
  jwksCooldownMs?: number;
}

/** Asymmetric algorithms only: `none` and HS* (which would let a public key serve as the secret) never verify. */
export const OIDC_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
];
const MAX_CACHED_ISSUERS = 64;
const CIRCLECI_ORG = /^[A-Za-z0-9-]{1,64}$/;

interface KeySet {
  jwksUri: string;
  getKey: JWTVerifyGetKey;
}

/** Verifies CI OIDC tokens against their issuer's published keys (discovered, cached per issuer, refetched on rotation). */
export class OidcVerifier {
  private readonly issuers: OidcIssuerConfig[];
  private readonly keySets = new Map<string, Promise<KeySet>>();

  constructor(private readonly options: OidcVerifierOptions) {
    if (options.issuers.length === 0) throw new TypeError("OidcVerifier needs at least one trusted issuer");
    this.issuers = options.issuers.map((config) => {
      const url = new URL(config.issuer); // throws on a typo in the configuration
      if (url.protocol !== "https:" && !isLoopback(url)) throw new TypeError(`issuer ${config.issuer} must be https`);
      return isPrefix(config) ? config : { ...config, issuer: config.issuer.replace(/\/+$/, "") };
    });
  }

  async verify(token: string): Promise<OidcCaller> {
    const { header, payload } = decode(token);
    checkAlgorithm(header.alg);
    const iss = payload.iss;
    if (typeof iss !== "string" || iss === "") throw unauthorized("invalid_claims", 'the token has no "iss" claim');
    const issuer = this.trustedIssuer(iss);
    const audience = issuer.audience ?? this.options.audience;
    const keys = await this.keySet(iss);
    let verified: JWTPayload;
    try {
      ({ payload: verified } = await jwtVerify(token, keys.getKey, {
        issuer: iss,
        audience,
        algorithms: OIDC_ALGORITHMS,
        clockTolerance: this.options.clockToleranceSec ?? 60,
        requiredClaims: ["exp", "sub"],
      }));
    } catch (error) {
      throw explain(error, { iss, audience, payload, kid: header.kid, jwksUri: keys.jwksUri });
    }
    const caller = identityFromClaims(issuer.kind, verified, issuer.vcsHost);
    if (issuer.repositories && !repositoryInScope(issuer.repositories, caller.repository)) {
      throw forbidden(
        "repository_forbidden",
        `tokens from ${iss} may act for ${issuer.repositories.join(", ")}; this one is for ${caller.repository}`,
      );
    }
    return caller;
  }

  private trustedIssuer(iss: string): OidcIssuerConfig {
    const found = this.issuers.find((config) =>
      isPrefix(config)
        ? iss.startsWith(config.issuer) && CIRCLECI_ORG.test(iss.slice(config.issuer.length))
        : iss === config.issuer,
    );
    if (found) return found;
    const trusted = this.issuers.map((c) => (isPrefix(c) ? `${c.issuer}*` : c.issuer)).join(", ");
    throw unauthorized("untrusted_issuer", `issuer ${quote(iss)} is not trusted; trusted: ${trusted}`);
  }

  /** One discovery per issuer; a failed one is forgotten so the next request retries. */
  private keySet(iss: string): Promise<KeySet> {
    let pending = this.keySets.get(iss);
    if (!pending) {
      pending = this.discover(iss);
      if (this.keySets.size >= MAX_CACHED_ISSUERS) this.keySets.delete(this.keySets.keys().next().value as string);
      this.keySets.set(iss, pending);
      const settled = pending;
      settled.catch(() => this.keySets.get(iss) === settled && this.keySets.delete(iss));
    }
    return pending;
  }

  private async discover(iss: string): Promise<KeySet> {
    const url = `${iss}/.well-known/openid-configuration`;
    const timeoutDuration = this.options.fetchTimeoutMs ?? 5000;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(timeoutDuration),
      });
    } catch (error) {
      throw new Transient(`could not fetch ${url}: ${causeOf(error)}`);
    }
    if (response.status >= 500 || response.status === 429)
      throw new Transient(`${url} answered ${response.status}; try again later`);
    if (!response.ok)
      throw unauthorized(
        "untrusted_issuer",
        `issuer ${iss} has no OpenID configuration (${url} answered ${response.status})`,
      );
    let config: { issuer?: unknown; jwks_uri?: unknown };
    try {
      config = (await response.json()) as typeof config;
    } catch {
      throw new Transient(`${url} did not answer JSON`);
    }
    if (config.issuer !== iss)
      throw unauthorized("untrusted_issuer", `${url} names issuer ${quote(config.issuer)}, not ${iss}`);
    let jwksUri: URL;
    try {
      jwksUri = new URL(String(config.jwks_uri));
    } catch {
      throw new Transient(`${url} has no valid jwks_uri`);
    }
    if (jwksUri.protocol !== "https:" && !isLoopback(jwksUri))
      throw new Transient(`${url} names a jwks_uri that is not https: ${jwksUri.href}`);
    const getKey = createRemoteJWKSet(jwksUri, { timeoutDuration, cooldownDuration: this.options.jwksCooldownMs });
    return { jwksUri: jwksUri.href, getKey };
  }
}

const isPrefix = (config: OidcIssuerConfig) => config.kind === "circleci" && config.issuer.endsWith("/");
const isLoopback = (url: URL) => ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);

function decode(token: string): { header: ReturnType<typeof decodeProtectedHeader>; payload: JWTPayload } {
  try {
    if (token.split(".").length !== 3) throw new Error("not three parts");
    return { header: decodeProtectedHeader(token), payload: decodeJwt(token) };
  } catch {
    throw unauthorized(
      "malformed_token",
      "the bearer token is neither an API token (gmlt_...) nor a signed JWT (header.payload.signature)",
    );
  }
}

function checkAlgorithm(alg: string | undefined): void {
  if (alg !== undefined && OIDC_ALGORITHMS.includes(alg)) return;
  if (alg === undefined || alg.toLowerCase() === "none")
    throw unauthorized("alg_not_allowed", "unsigned tokens (alg none) are never accepted");
  if (/^HS/i.test(alg)) {
    throw unauthorized(
      "alg_not_allowed",
      `symmetric alg ${alg} is not accepted; OIDC tokens are signed with the issuer's private key (${OIDC_ALGORITHMS.join(", ")})`,
    );
  }
  throw unauthorized("alg_not_allowed", `alg ${quote(alg)} is not accepted; accepted: ${OIDC_ALGORITHMS.join(", ")}`);
}

interface Context {
  iss: string;
  audience: string | string[];
  payload: JWTPayload;
  kid: string | undefined;
  jwksUri: string;
}

/** Turn jose's error into one that tells the caller what to fix; failures to reach the issuer are Transient. */
function explain(error: unknown, { iss, audience, payload, kid, jwksUri }: Context): Error {
  if (error instanceof AuthError) return error;
  const now = new Date().toISOString();
  if (error instanceof errors.JWTExpired) {
    return unauthorized(
      "expired",
      `the token expired at ${time(payload.exp)} (server time ${now}); request a new token right before calling`,
    );
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === "missing") return unauthorized("invalid_claims", `the token has no "${error.claim}" claim`);
    if (error.claim === "aud")
      return unauthorized(
        "bad_audience",
        `the token's audience is ${quote(payload.aud)}; the server expects ${list(audience)}`,
      );
    if (error.claim === "nbf")
      return unauthorized(
        "not_yet_valid",
        `the token is not valid before ${time(payload.nbf)} (server time ${now}); check the clocks`,
      );
    if (error.claim === "iat")
      return unauthorized(
        "not_yet_valid",
        `the token was issued in the future, at ${time(payload.iat)} (server time ${now}); check the clocks`,
      );
    return unauthorized("invalid_claims", `the token's "${error.claim}" claim is invalid: ${error.message}`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return unauthorized(
      "bad_signature",
      `the token's signature does not verify with ${iss}'s key ${quote(kid)}; it was not issued by ${iss} or was altered`,
    );
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return unauthorized("unknown_key", `${iss} publishes no single key for the token's kid ${quote(kid)} (${jwksUri})`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return unauthorized("alg_not_allowed", `the token's alg is not accepted: ${error.message}`);
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return unauthorized("malformed_token", `the token is malformed: ${error.message}`);
  }
  return new Transient(`could not fetch the keys of ${iss} from ${jwksUri}: ${causeOf(error)}`);
}

const time = (seconds: unknown) =>
  typeof seconds === "number" ? new Date(seconds * 1000).toISOString() : "an unknown time";
const list = (value: string | string[]) =>
  Array.isArray(value) ? value.map((v) => JSON.stringify(v)).join(" or ") : JSON.stringify(value);
const causeOf = (error: unknown) => {
  const e = toError(error);
  return e.cause ? `${e.message} (${toError(e.cause).message})` : e.message;
};
