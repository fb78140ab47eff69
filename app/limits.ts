import { z } from "zod";

/**
 * The bounds on one caller's work (docs/limits.md). Each is a named setting with a default that fits real use with
 * room to spare; exceeding one is a 4xx that names the setting, before anything is done.
 */
export interface Limits {
  /** Largest webhook body, enforced while streaming (GitHub caps deliveries at 25 MB). */
  webhookMaxBytes: number;
  /**
   * Bytes of small webhook bodies (declared, at most 1 MiB) buffered at once; larger or undeclared ones take turns in
   * one reused buffer of `webhookMaxBytes`. A delivery waits for room, bounded by the read timeout.
   */
  webhookBufferBytes: number;
  /** How long a webhook body may take to arrive (and to wait for buffer room) before 408. */
  webhookReadTimeoutMs: number;
  /** Deepest nesting of arrays and objects in any JSON body (webhooks, artifacts, Flux and agent events). */
  jsonMaxDepth: number;
  /** Manifests (`environments[]` entries) in one artifact. */
  maxManifests: number;
  /** Distinct environments named by one artifact. */
  maxEnvironments: number;
  /** Kubernetes objects one release renders. */
  maxRenderedObjects: number;
  /** Bytes of rendered files one release writes. */
  maxRenderedBytes: number;
  /** Gitops writes of one app repository in flight at once; more wait their turn (never dropped). */
  maxConcurrentReleases: number;
}

const MiB = 1024 * 1024;

export const defaultLimits: Readonly<Limits> = Object.freeze({
  webhookMaxBytes: 25 * MiB,
  webhookBufferBytes: 32 * MiB,
  webhookReadTimeoutMs: 10_000,
  jsonMaxDepth: 64,
  maxManifests: 100,
  maxEnvironments: 20,
  maxRenderedObjects: 200,
  maxRenderedBytes: 4 * MiB,
  maxConcurrentReleases: 2,
});

/** The environment variable of each limit (also the name a refusal cites). */
export const limitSettings = {
  webhookMaxBytes: "GIMLET_WEBHOOK_MAX_BYTES",
  webhookBufferBytes: "GIMLET_WEBHOOK_BUFFER_BYTES",
  webhookReadTimeoutMs: "GIMLET_WEBHOOK_READ_TIMEOUT_MS",
  jsonMaxDepth: "GIMLET_JSON_MAX_DEPTH",
  maxManifests: "GIMLET_MAX_MANIFESTS",
  maxEnvironments: "GIMLET_MAX_ENVIRONMENTS",
  maxRenderedObjects: "GIMLET_MAX_RENDERED_OBJECTS",
  maxRenderedBytes: "GIMLET_MAX_RENDERED_BYTES",
  maxConcurrentReleases: "GIMLET_MAX_CONCURRENT_RELEASES",
} as const satisfies Record<keyof Limits, string>;

const positive = z
  .string()
  .regex(/^[1-9][0-9]{0,12}$/, "must be a positive whole number")
  .transform(Number)
  .optional();

/** The limits' part of the server environment schema (app/env.ts spreads it in). */
export const limitsEnvShape = Object.fromEntries(Object.values(limitSettings).map((name) => [name, positive])) as {
  [K in keyof Limits as (typeof limitSettings)[K]]: typeof positive;
};

/** The limits from parsed environment values (absent = default). */
export function limitsFromEnv(env: Partial<Record<string, unknown>>): Limits {
  const limits: Limits = { ...defaultLimits };
  for (const key of Object.keys(limitSettings) as Array<keyof Limits>) {
    const value = env[limitSettings[key]];
    if (typeof value === "number") limits[key] = value;
  }
  return limits;
}
