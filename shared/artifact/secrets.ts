/** Values that look like credentials. Artifacts are stored in check runs and git, so none may carry one. */
const secretValuePatterns: ReadonlyArray<[string, RegExp]> = [
  ["a GitHub token", /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/],
  ["a GitLab token", /\bgl(pat|cbt|dt|ptt|rt|oas|ft|imt|agent|soat)-[A-Za-z0-9_-]{12,}/],
  ["an npm token", /\bnpm_[A-Za-z0-9]{30,}/],
  ["an AWS access key", /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ["a Slack token", /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
  ["a Stripe key", /\b(sk|rk)_live_[A-Za-z0-9]{16,}/],
  ["a Google API key", /\bAIza[0-9A-Za-z_-]{35}/],
  ["a Gimlet API token", /\bgmlt_[A-Za-z0-9]{16,}/],
  ["a JSON Web Token", /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{2,}/],
  ["a private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["a URL with a password", /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i],
];

/** Variable names that hold credentials by convention. */
const secretNamePattern = /(TOKEN|SECRET|PASSWORD|PASSWD|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)/i;

/** What the value looks like ("a GitHub token"), or undefined when it looks harmless. */
export function secretKind(value: string): string | undefined {
  for (const [kind, pattern] of secretValuePatterns) if (pattern.test(value)) return kind;
  return undefined;
}

export function isSecretName(name: string): boolean {
  return secretNamePattern.test(name);
}

/** Why the entry may not enter an artifact, or undefined when it may. */
export function secretRefusal(name: string, value: string): string | undefined {
  const kind = secretKind(value);
  if (kind)
    return `the value looks like ${kind}; secrets never go into artifacts (use secretEnabled, existingSecrets or sealedSecrets in the manifest)`;
  if (isSecretName(name))
    return `${name} is named like a secret; secrets never go into artifacts (rename it if it is not one)`;
  return undefined;
}
