import { createHash } from "node:crypto";
import type { RandomBytes } from "../ports.js";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A ULID: 48 bits of milliseconds then 80 random bits, Crockford base32, so ids sort by creation time. */
export function ulid(nowMs: number, random: RandomBytes): string {
  let time = "";
  let t = Math.floor(nowMs);
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = random(10);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let rand = "";
  for (let i = 0; i < 16; i++) {
    rand = CROCKFORD[Number(bits & 31n)] + rand;
    bits >>= 5n;
  }
  return time + rand;
}

function repositorySlug(repositoryName: string): string {
  return repositoryName
    .toLowerCase()
    .split("/")
    .map((part) => part.replace(/[^a-z0-9_.]+/g, "-").replace(/^[-.]+|[-.]+$/g, ""))
    .filter(Boolean)
    .join("-");
}

/**
 * `<owner>-<repo>-<ulid>-<sha>`, URL-safe; GitLab subgroups join with `-`. The commit sha at the end makes the
 * artifact's stored path (`<owner>/<repo>/<sha>/<id>.json`) derivable from its id, so finding an artifact by id is
 * one read however many are stored; the ULID before it keeps ids of one repository sorted by creation time.
 */
export function artifactId(repositoryName: string, nowMs: number, random: RandomBytes, sha?: string): string {
  const commit = sha && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha) ? `-${sha}` : "";
  return `${repositorySlug(repositoryName)}-${ulid(nowMs, random)}${commit}`;
}

/** The commit sha an artifact id ends with; undefined for ids made before ids carried it. */
export function artifactIdSha(id: string): string | undefined {
  return /-[0-9A-HJKMNP-TV-Z]{26}-([0-9a-f]{40}(?:[0-9a-f]{24})?)$/.exec(id)?.[1];
}

/**
 * When an id was minted (ms since the epoch), from the time part of its ULID; undefined for an id without one
 * (a local id, or not an artifact id). Lets a server tell "not stored yet" from "never existed" without a read.
 */
export function artifactIdTime(id: string): number | undefined {
  const time = /-([0-9A-HJKMNP-TV-Z]{10})[0-9A-HJKMNP-TV-Z]{16}(?:-[0-9a-f]{40}(?:[0-9a-f]{24})?)?$/.exec(id)?.[1];
  if (!time) return undefined;
  let ms = 0;
  for (const char of time) ms = ms * 32 + CROCKFORD.indexOf(char);
  return ms;
}

/**
 * The id of an artifact released without a server (`gimlet gitops deploy`): derived from its content, so releasing
 * the same artifact twice is recognisably the same release.
 */
export function localArtifactId(artifact: {
  version: { repositoryName: string };
  vars?: unknown;
  items?: unknown;
  environments?: unknown;
}): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([artifact.version, artifact.vars, artifact.items, artifact.environments]))
    .digest("hex");
  return `${repositorySlug(artifact.version.repositoryName)}-local-${digest.slice(0, 20)}`;
}

export const ARTIFACT_ID = /^[a-z0-9][a-z0-9_.-]*-[0-9A-HJKMNP-TV-Z]{26}(-[0-9a-f]{40}([0-9a-f]{24})?)?$/;
