import { z } from "zod";
import { parseWith } from "../validation.js";

/**
 * The artifact's version object as recorded in a release. Only a few fields are read here; the rest
 * (Gimlet's `created`, `event`, `authorName`, ...) is carried through unchanged.
 */
export const releaseVersionSchema = z.looseObject({
  sha: z.string().optional(),
  branch: z.string().optional(),
  tag: z.string().optional(),
  message: z.string().optional(),
  repositoryName: z.string().optional(),
});
export type ReleaseVersion = z.infer<typeof releaseVersionSchema>;

export const deploymentRefSchema = z.object({ repository: z.string(), id: z.union([z.number(), z.string()]) });

/** `<path>/<app>/release.json` (DESIGN §7). */
export const releaseRecordSchema = z.object({
  app: z.string(),
  env: z.string(),
  artifactId: z.string(),
  triggeredBy: z.string(),
  version: releaseVersionSchema,
  deployment: deploymentRefSchema.optional(),
  created: z.string(),
  rollback: z.object({ of: z.string() }).optional(),
  pinned: z.boolean().optional(),
});
export type ReleaseRecord = z.infer<typeof releaseRecordSchema>;

/** `<path>/.gimlet/lock.json`. */
export const envLockSchema = z.object({
  by: z.string(),
  reason: z.string().optional(),
  created: z.string(),
  /** Where the lock was taken (`owner/repo#<PR>` for a `/gimlet lock` comment): closing that PR releases it. */
  source: z.string().optional(),
});
export type EnvLock = z.infer<typeof envLockSchema>;

// What is accepted when reading: records Gimlet wrote carry only app, env, artifactId, triggeredBy and
// version (and sometimes a numeric `created` in epoch seconds, `gitopsRef`, `rolledBack`, ...).
const storedReleaseSchema = z.looseObject({
  app: z.string().optional(),
  env: z.string().optional(),
  artifactId: z.string().optional(),
  triggeredBy: z.string().optional(),
  version: z.unknown().optional(),
  deployment: deploymentRefSchema.optional().catch(undefined),
  created: z.union([z.string(), z.number()]).optional(),
  rollback: z.object({ of: z.string() }).optional().catch(undefined),
  pinned: z.boolean().optional().catch(undefined),
});

/** A stored release record, possibly from a Gimlet repository: fields it lacks come from `fallback`. */
export interface StoredRelease extends Omit<ReleaseRecord, "created"> {
  /** Absent in Gimlet's records; the caller falls back to the commit date. */
  created?: string;
}

/**
 * Read a release.json blob leniently (history must read whatever is in the repository): invalid JSON or a
 * non-object gives undefined, missing fields get empty values, app/env default to where the file sits.
 */
export function parseStoredRelease(text: string, fallback: { app: string; env: string }): StoredRelease | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = storedReleaseSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const r = parsed.data;
  const version = releaseVersionSchema.safeParse(r.version ?? {});
  const out: StoredRelease = {
    app: r.app || fallback.app,
    env: r.env || fallback.env,
    artifactId: r.artifactId ?? "",
    triggeredBy: r.triggeredBy ?? "",
    version: version.success ? version.data : {},
  };
  const created = normalizeCreated(r.created);
  if (created) out.created = created;
  if (r.deployment) out.deployment = r.deployment;
  if (r.rollback) out.rollback = r.rollback;
  if (r.pinned !== undefined) out.pinned = r.pinned;
  return out;
}

function normalizeCreated(value: string | number | undefined): string | undefined {
  if (typeof value === "string") return value || undefined;
  if (typeof value === "number" && Number.isFinite(value)) {
    // Gimlet stored epoch seconds; tolerate milliseconds too.
    const ms = value > 1e12 ? value : value * 1000;
    return new Date(ms).toISOString();
  }
  return undefined;
}

/** Validate a record before it is written (the writer only writes complete records). */
export function checkReleaseRecord(record: unknown): ReleaseRecord {
  return parseWith(releaseRecordSchema, record, "release.json");
}

/** The bytes written to release.json: stable key order, two-space indent, trailing newline. */
export function serializeRelease(record: ReleaseRecord): string {
  const ordered: ReleaseRecord = {
    app: record.app,
    env: record.env,
    artifactId: record.artifactId,
    triggeredBy: record.triggeredBy,
    version: record.version,
    ...(record.deployment ? { deployment: record.deployment } : {}),
    created: record.created,
    ...(record.rollback ? { rollback: record.rollback } : {}),
    ...(record.pinned ? { pinned: true } : {}),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export function serializeLock(lock: EnvLock): string {
  const ordered: EnvLock = {
    by: lock.by,
    ...(lock.reason ? { reason: lock.reason } : {}),
    created: lock.created,
    ...(lock.source ? { source: lock.source } : {}),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export function parseLock(text: string): EnvLock | undefined {
  try {
    const parsed = envLockSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
