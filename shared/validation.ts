import type { z } from "zod";
import { ConfigError, type Problem } from "./errors.js";

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

function joinPath(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

/**
 * Whether `path` names a key that is absent from the object holding it in `input` (zod reports a missing key as a
 * type error, "expected string, received undefined", which reads as if the user wrote something of the wrong type).
 */
export function isMissingKey(input: unknown, path: ReadonlyArray<PropertyKey>): boolean {
  if (path.length === 0) return false;
  let parent: unknown = input;
  for (const segment of path.slice(0, -1)) {
    if (parent === null || typeof parent !== "object") return false;
    parent = (parent as Record<PropertyKey, unknown>)[segment as string];
  }
  if (parent === null || typeof parent !== "object" || Array.isArray(parent)) return false;
  const key = path[path.length - 1] as string;
  return !Object.hasOwn(parent, key) || (parent as Record<string, unknown>)[key] === undefined;
}

/** The message of one zod issue, with "required" for a missing key whatever message the schema gave its type. */
export function issueMessage(issue: z.core.$ZodIssue, input?: unknown): string {
  if (issue.code === "invalid_type" && input !== undefined && isMissingKey(input, issue.path)) return "required";
  return issue.message;
}

/**
 * Every zod issue as a `path: message` problem a user can act on. Pass the parsed `input` so that missing keys say
 * `required` instead of a type error.
 */
export function zodProblems(error: z.ZodError, input?: unknown): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    const path = formatPath(issue.path);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) problems.push({ path: joinPath(path, key), message: "unknown key" });
    } else if (issue.code === "invalid_key") {
      // A record key that fails its schema: say why (zod's own message is "Invalid key in record").
      problems.push({ path, message: issue.issues[0]?.message ?? issue.message });
    } else if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // Report the branch that got furthest instead of zod's generic "Invalid input".
      const best = issue.errors.reduce((a, b) => (a.length <= b.length ? a : b));
      for (const sub of best) {
        const full = [...issue.path, ...sub.path];
        problems.push({ path: formatPath(full), message: issueMessage({ ...sub, path: full }, input) });
      }
    } else {
      problems.push({ path, message: issueMessage(issue, input) });
    }
  }
  return problems;
}

/** Parse `value` with `schema`; on failure throw a ConfigError listing every problem. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = zodProblems(result.error, value);
  throw ConfigError.of(
    problems,
    what ? `${what} is invalid:\n${problems.map((p) => `${p.path}: ${p.message}`).join("\n")}` : undefined,
  );
}

/** Kept here too for existing imports; the rule itself lives in names.ts. */
export { DNS_LABEL, dnsLabelMessage } from "./names.js";
