export { type AgentTokenRecord, parseAgentTokens, verifyAgentToken, verifyScopedAgentToken } from "./agentToken.js";
export {
  API_TOKEN,
  API_TOKEN_PREFIX,
  type ApiTokenRecord,
  ApiTokenStore,
  isApiToken,
  parseApiTokenRecords,
} from "./apiTokens.js";
export { bearerToken } from "./bearer.js";
export {
  type AuthDeps,
  authenticate,
  authorizeEnvironment,
  authorizeRepository,
  environmentRefusal,
} from "./caller.js";
export { sha256Hex } from "./digest.js";
export { AuthError, type AuthReason } from "./errors.js";
export { parseFluxSecrets } from "./fluxSecrets.js";
export { type FluxHmacAlgorithm, signFluxPayload, verifyFluxSignature } from "./hmac.js";
export {
  type CallerIdentity,
  describeCaller,
  type OidcCaller,
  type OidcIssuerKind,
  type TokenCaller,
} from "./identity.js";
export { OIDC_ALGORITHMS, type OidcIssuerConfig, OidcVerifier, type OidcVerifierOptions } from "./oidc.js";
export { authorizeRef, type BuiltFrom } from "./refBinding.js";
export { environmentInScope, repositoryInScope } from "./scope.js";
