import { ConfigError, Transient } from "../../shared/errors.js";
import type { ApiClient } from "./client.js";
import type { CommandContext, OptionSpec } from "./command.js";

export const waitOptions: Record<string, OptionSpec> = {
  wait: { type: "boolean", description: "wait until the gitops commit is pushed" },
  timeout: { type: "string", description: "seconds to wait (default 300)", valueName: "S" },
};

export interface TrackedRelease {
  env: string;
  app: string;
  trackingId: string;
  status: string;
  /** No later status will come (success, failure, error or inactive on GitHub). */
  final?: boolean;
  gitopsSha?: string | null;
  message?: string;
  /** The GitHub deployment and the app's URL, when the server knows them. */
  deploymentUrl?: string | null;
  environmentUrl?: string | null;
}

/** --timeout in seconds (default 300); a usage error when it is not a positive whole number. */
export function timeoutSeconds(ctx: CommandContext): number {
  const timeoutText = (ctx.options.timeout as string | undefined) ?? "300";
  if (!/^[1-9][0-9]*$/.test(timeoutText))
    throw ConfigError.at("--timeout", "must be a positive whole number of seconds");
  return Number(timeoutText);
}

const PUSHED = new Set(["committed", "applied", "healthy", "failed"]);

/**
 * Poll the releases until each is pushed (or, with --until healthy, settled), printing progress as states change.
 * Bounded by --timeout (default 300 s).
 */
export async function waitForReleases(
  ctx: CommandContext,
  client: ApiClient,
  releases: Array<{ env: string; app: string; trackingId: string }>,
  untilFinal = false,
): Promise<TrackedRelease[]> {
  const timeoutText = (ctx.options.timeout as string | undefined) ?? "300";
  if (!/^[1-9][0-9]*$/.test(timeoutText))
    throw ConfigError.at("--timeout", "must be a positive whole number of seconds");
  const deadline = Date.now() + Number(timeoutText) * 1000;
  const last = new Map<string, string>();
  const results = new Map<string, TrackedRelease>();
  let pending = [...releases];
  let delay = 200;
  while (pending.length) {
    for (const release of pending) {
      const { body } = await client.request<{
        env?: string;
        app?: string;
        status: string;
        final?: boolean;
        gitopsSha: string | null;
        message: string;
        deploymentUrl?: string | null;
        environmentUrl?: string | null;
      }>("GET", `/api/releases/track/${encodeURIComponent(release.trackingId)}`);
      // A release known only by its tracking id (release track) takes its env and app from the server's answer.
      const named = {
        ...release,
        env: release.env || body.env || "",
        app: release.app || body.app || "",
      };
      results.set(release.trackingId, {
        ...named,
        status: body.status,
        final: body.final ?? (body.status === "healthy" || body.status === "failed"),
        gitopsSha: body.gitopsSha,
        message: body.message,
        deploymentUrl: body.deploymentUrl,
        environmentUrl: body.environmentUrl,
      });
      if (last.get(release.trackingId) !== body.status && !ctx.json)
        ctx.io.stderr(`${releaseLabel(named)}: ${body.status} — ${body.message}\n`);
      last.set(release.trackingId, body.status);
    }
    pending = pending.filter((r) => {
      const tracked = results.get(r.trackingId);
      return !(untilFinal ? tracked?.final : PUSHED.has(tracked?.status ?? ""));
    });
    if (!pending.length) break;
    if (Date.now() > deadline) {
      // A failure is final only after the server's deadline (a later Flux success may still turn it green): at the
      // caller's deadline, releases that are still failed are answered as failed, with their reason, not as a timeout.
      if (pending.every((r) => results.get(r.trackingId)?.status === "failed")) break;
      throw new Transient(
        `timed out after ${timeoutText}s waiting for ${pending.map((r) => releaseLabel(results.get(r.trackingId) ?? r)).join(", ")}`,
      );
    }
    // never sleep past the deadline: the step ends at its timeout, not up to one back-off step later
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, Math.max(deadline - Date.now(), 0) + 10)));
    delay = Math.min(delay * 2, 5000);
  }
  return releases.map((r) => results.get(r.trackingId) as TrackedRelease);
}

/** `env/app` when known, else the tracking id: never an empty `/`. */
export function releaseLabel(release: { env: string; app: string; trackingId: string }): string {
  return release.env && release.app ? `${release.env}/${release.app}` : release.trackingId;
}
