import { randomBytes } from "node:crypto";
import { z } from "zod";
import { ConfigError } from "../../shared/errors.js";
import { allowsSome, exclusionsOnlyMessage } from "../../shared/policy/glob.js";
import { parseWith } from "../../shared/validation.js";
import { matchesAnyDigest, sha256Hex } from "./digest.js";
import { unauthorized } from "./errors.js";
import type { TokenCaller } from "./identity.js";

/** A static API token as stored: never the token itself, only its SHA-256. */
export interface ApiTokenRecord {
  name: string;
  /** Lowercase hex SHA-256 of the whole token, `gmlt_` included. */
  sha256: string;
  /** Globs of `owner/repo` the token may act for: `["acme/*", "!acme/secrets"]`. */
  repositories: string[];
  /**
   * Globs of the environments the token may release to, by policy or by asking: `["staging", "preview-*"]`.
   * Absent: every environment. A static token can't prove which ref it shipped from, so this is how an operator
   * keeps a CI token away from production.
   */
  environments?: string[];
}

export const API_TOKEN_PREFIX = "gmlt_";
/** `gmlt_` and at least 32 base62 characters. */
export const API_TOKEN = /^gmlt_[0-9A-Za-z]{32,}$/;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const GENERATED_LENGTH = 40; // 40 × log2(62) ≈ 238 bits

export const isApiToken = (token: string): boolean => token.startsWith(API_TOKEN_PREFIX);

/** Checks presented API tokens against the stored hashes. */
export class ApiTokenStore {
  private readonly records: ApiTokenRecord[];
  private readonly hashes: string[];

  constructor(records: readonly ApiTokenRecord[]) {
    this.records = records.map((r) => ({
      ...r,
      sha256: r.sha256.toLowerCase(),
      repositories: [...r.repositories],
      ...(r.environments ? { environments: [...r.environments] } : {}),
    }));
    this.hashes = this.records.map((r) => r.sha256);
  }

  get size(): number {
    return this.records.length;
  }

  /** The caller a token stands for; AuthError 401 when it is malformed or unknown. */
  verify(token: string): TokenCaller {
    if (!API_TOKEN.test(token))
      throw unauthorized(
        "malformed_token",
        `an API token is ${API_TOKEN_PREFIX} followed by at least 32 letters and digits`,
      );
    const record = this.records[matchesAnyDigest(sha256Hex(token), this.hashes)];
    if (!record)
      throw unauthorized(
        "unknown_token",
        "unknown API token; it may have been revoked. Ask an administrator for a new one",
      );
    return {
      kind: "token",
      name: record.name,
      repositories: [...record.repositories],
      ...(record.environments ? { environments: [...record.environments] } : {}),
    };
  }

  /** A new random token and the record to store for it (the token is shown once, the record kept). */
  static generate(
    init: { name: string; repositories: string[]; environments?: string[] },
    random: (size: number) => Uint8Array = randomBytes,
  ): { token: string; record: ApiTokenRecord } {
    let body = "";
    while (body.length < GENERATED_LENGTH) {
      for (const byte of random(GENERATED_LENGTH)) {
        // 248 = 4 × 62: dropping larger bytes keeps every character equally likely.
        if (byte < 248 && body.length < GENERATED_LENGTH) body += BASE62[byte % 62];
      }
    }
    const token = API_TOKEN_PREFIX + body;
    const record: ApiTokenRecord = { name: init.name, sha256: sha256Hex(token), repositories: [...init.repositories] };
    if (init.environments) record.environments = [...init.environments];
    return { token, record };
  }
}

const globs = z.array(z.string().trim().min(1, "must be a non-empty glob"));

const recordSchema = z
  .object({
    name: z.string().trim().min(1, "must be a non-empty name"),
    sha256: z
      .string()
      .refine((s) => !isApiToken(s), {
        message: "is a token, not its hash: store the sha256 of the token, never the token itself",
        abort: true,
      })
      .regex(/^[0-9a-fA-F]{64}$/, "must be the 64-character hex SHA-256 of the token")
      .transform((s) => s.toLowerCase()),
    repositories: globs
      .min(1, 'must list at least one repository glob, e.g. "acme/*"')
      .refine(allowsSome, { message: exclusionsOnlyMessage('["acme/*", "!acme/secrets"]') }),
    environments: globs
      .min(1, 'must list at least one environment glob, e.g. "staging"; leave the key out for every environment')
      .refine(allowsSome, { message: exclusionsOnlyMessage('["*", "!production"]') })
      .optional(),
  })
  .strict();

const recordsSchema = z.array(recordSchema).superRefine((records, ctx) => {
  const names = new Map<string, number>();
  const hashes = new Map<string, number>();
  records.forEach((record, i) => {
    const name = names.get(record.name);
    if (name !== undefined)
      ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicates the name of [${name}]` });
    else names.set(record.name, i);
    const hash = hashes.get(record.sha256);
    if (hash !== undefined)
      ctx.addIssue({ code: "custom", path: [i, "sha256"], message: `duplicates the sha256 of [${hash}]` });
    else hashes.set(record.sha256, i);
  });
});

/**
 * Parse the records of `GIMLET_API_TOKENS` (a JSON array of `{name, sha256, repositories, environments?}`).
 * Throws ConfigError with one `path: message` problem per mistake (`[1].sha256: must be ...`).
 */
export function parseApiTokenRecords(json: string, what = "GIMLET_API_TOKENS"): ApiTokenRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw ConfigError.of([{ path: "", message: `${what} is not JSON: ${(error as Error).message}` }]);
  }
  return parseWith(recordsSchema, value, what);
}
