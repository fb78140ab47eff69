import type { GitEvent } from "../../manifest/schema.js";

export type CiEnv = Readonly<Record<string, string | undefined>>;
export type CiProvider = "github" | "circleci" | "gitlab";

/** What a CI run says about the commit it built, before validation. */
export interface CiFacts {
  provider: CiProvider;
  repositoryName: string;
  sha: string;
  event: GitEvent;
  branch?: string;
  sourceBranch?: string;
  targetBranch?: string;
  tag?: string;
  prNumber?: number;
  message?: string;
  authorName?: string;
  authorEmail?: string;
  committerName?: string;
  committerEmail?: string;
  url?: string;
  created?: string;
  actor?: string;
  job?: string;
  buildUrl?: string;
  /** CI variables to keep in the artifact's context: read by name from an allow-list, never by prefix. */
  allowedVariables: readonly string[];
}

export function value(env: CiEnv, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === "" ? undefined : v;
}

export function required(env: CiEnv, name: string, missing: string[]): string {
  const v = value(env, name);
  if (v === undefined) missing.push(name);
  return v ?? "";
}

/** `Name <email>` → parts. */
export function splitAuthor(author: string | undefined): { name?: string; email?: string } {
  if (!author) return {};
  const match = /^(.*?)\s*<([^>]*)>\s*$/.exec(author);
  return match ? { name: match[1] || undefined, email: match[2] || undefined } : { name: author };
}
