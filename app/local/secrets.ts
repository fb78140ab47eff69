import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ApiTokenRecord, ApiTokenStore, parseApiTokenRecords, sha256Hex } from "../auth/index.js";

export interface LocalSecrets {
  tokens: ApiTokenStore;
  /** Set only on the start that created the token: it is printed once. */
  newToken?: string;
  fluxSecret: string;
  tokenFile: string;
  /** The cluster agent's bearer token (kept in agent-token) is checked by its hash, as in GitHub mode. */
  agentTokenHash: string;
}

/**
 * Local mode is no open door: an API token is made on first start (its hash kept in api-tokens.json, the token itself
 * in api-token with mode 0600 for the demo script) and every API call needs it; Flux events need the HMAC secret and
 * agent events the agent token (agent-token).
 */
export function localSecrets(root: string): LocalSecrets {
  mkdirSync(root, { recursive: true });
  const recordsFile = join(root, "api-tokens.json");
  const tokenFile = join(root, "api-token");
  const fluxFile = join(root, "flux-secret");
  let records: ApiTokenRecord[] = existsSync(recordsFile)
    ? parseApiTokenRecords(readFileSync(recordsFile, "utf8"), recordsFile)
    : [];
  let newToken: string | undefined;
  if (!records.length) {
    const generated = ApiTokenStore.generate({ name: "local", repositories: ["*"] });
    records = [generated.record];
    newToken = generated.token;
    writeFileSync(recordsFile, `${JSON.stringify(records, null, 2)}\n`, { mode: 0o600 });
    writeFileSync(tokenFile, `${generated.token}\n`, { mode: 0o600 });
  }
  if (!existsSync(fluxFile)) writeFileSync(fluxFile, `${randomBytes(24).toString("hex")}\n`, { mode: 0o600 });
  const agentFile = join(root, "agent-token");
  if (!existsSync(agentFile)) writeFileSync(agentFile, `${randomBytes(24).toString("hex")}\n`, { mode: 0o600 });
  const agentTokenHash = sha256Hex(readFileSync(agentFile, "utf8").trim());
  return {
    tokens: new ApiTokenStore(records),
    newToken,
    fluxSecret: readFileSync(fluxFile, "utf8").trim(),
    tokenFile,
    agentTokenHash,
  };
}
