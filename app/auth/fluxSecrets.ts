import { ConfigError, type Problem } from "../../shared/errors.js";

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const VARIABLE = "FLUX_WEBHOOK_SECRETS";

/**
 * FLUX_WEBHOOK_SECRETS: `{"<owner>/<gitops repo>": "<secret>"}`, one generic-hmac secret per gitops repository (so
 * per cluster). Secrets, not hashes: an HMAC is checked by computing it again, which needs the key itself.
 * Keys are lowercased (GitHub names are case-insensitive). Every problem is reported as `FLUX_WEBHOOK_SECRETS.<key>: message`.
 */
export function parseFluxSecrets(text: string | undefined): Map<string, string> {
  if (text === undefined) return new Map();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw ConfigError.at(VARIABLE, `not JSON (${(error as Error).message})`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw ConfigError.at(VARIABLE, 'must be a JSON object: {"owner/gitops-repo": "secret"}');
  const problems: Problem[] = [];
  const secrets = new Map<string, string>();
  for (const [repository, secret] of Object.entries(value)) {
    const path = `${VARIABLE}.${repository}`;
    if (!REPOSITORY.test(repository)) problems.push({ path, message: "must be owner/repo (the gitops repository)" });
    if (typeof secret !== "string" || secret.length < 16)
      problems.push({ path, message: "must be a secret of at least 16 characters" });
    else secrets.set(repository.toLowerCase(), secret);
  }
  if (problems.length) throw ConfigError.of(problems);
  return secrets;
}
