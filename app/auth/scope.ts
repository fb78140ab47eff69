import { matchesGlob } from "../../shared/policy/glob.js";

/**
 * True when `repository` matches at least one positive glob and no `!negated` one, case-insensitively
 * (GitHub names are). `["acme/*", "!acme/secrets"]` allows every acme repository but one; `["*"]` allows all.
 */
export function repositoryInScope(patterns: readonly string[], repository: string): boolean {
  return inScope(patterns, repository);
}

/** The same rule over environment names (an API token's `environments`). */
export function environmentInScope(patterns: readonly string[], env: string): boolean {
  return inScope(patterns, env);
}

function inScope(patterns: readonly string[], value: string): boolean {
  const name = value.toLowerCase();
  let allowed = false;
  for (const raw of patterns) {
    const pattern = raw.toLowerCase();
    if (pattern.startsWith("!")) {
      if (matchesGlob(pattern.slice(1), name)) return false;
    } else if (matchesGlob(pattern, name)) allowed = true;
  }
  return allowed;
}
