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

/** Every zod issue as a `path: message` problem a user can act on. */
export function zodProblems(error: z.ZodError): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    const path = formatPath(issue.path);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) problems.push({ path: joinPath(path, key), message: "unknown key" });
    } else if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // Report the branch that got furthest instead of zod's generic "Invalid input".
      const best = issue.errors.reduce((a, b) => (a.length <= b.length ? a : b));
      for (const sub of best) problems.push({ path: formatPath([...issue.path, ...sub.path]), message: sub.message });
    } else {
      problems.push({ path, message: issue.message });
    }
  }
  return problems;
}

/** Parse `value` with `schema`; on failure throw a ConfigError listing every problem. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = zodProblems(result.error);
  throw ConfigError.of(
    problems,
    what ? `${what} is invalid:\n${problems.map((p) => `${p.path}: ${p.message}`).join("\n")}` : undefined,
  );
}

/** Kept here too for existing imports; the rule itself lives in names.ts. */
export { DNS_LABEL, dnsLabelMessage } from "./names.js";
