import { Conflict, NotFound, Transient } from "../../shared/errors.js";
import type { RepositoryName } from "../../shared/ports.js";

/** The GitHub App lacks a permission (or access) it needs on a repository: an operator must fix the app's settings. */
export class ForgePermissionError extends Error {
  constructor(
    message: string,
    readonly repository: RepositoryName,
    /** The permission the operation needs, as GitHub's app settings name it: `checks: write`. */
    readonly permission: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ForgePermissionError";
  }
}

/** What a GitHub call is, for error messages: `POST check-runs` on `acme/shop` needs `checks: write`. */
export interface CallInfo {
  repository: RepositoryName;
  permission: string;
  action: string;
}

interface OctokitErrorShape {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function isOctokitError(error: unknown): error is OctokitErrorShape {
  return typeof error === "object" && error !== null && typeof (error as { status?: unknown }).status === "number";
}

/** GitHub's own `message` of an error response (`Branch gimlet-artifacts not found`), else the error's. */
export function githubMessage(error: unknown): string {
  if (!isOctokitError(error)) return error instanceof Error ? error.message : String(error);
  const data = error.response?.data;
  if (typeof data === "object" && data !== null && typeof (data as { message?: unknown }).message === "string") {
    return (data as { message: string }).message;
  }
  return error.message;
}

export function statusOf(error: unknown): number | undefined {
  return isOctokitError(error) ? error.status : undefined;
}

function isRateLimited(error: OctokitErrorShape): boolean {
  if (error.status === 429) return true;
  if (error.status !== 403) return false;
  const remaining = error.response?.headers?.["x-ratelimit-remaining"];
  return String(remaining) === "0" || /rate limit/i.test(githubMessage(error));
}

/**
 * Translate an octokit failure into the product's errors:
 * 404 → NotFound (callers turn it into `undefined` where the port says so), 409 → Conflict,
 * 401/403 → ForgePermissionError naming the permission, 429/rate limit/5xx/network → Transient.
 * Anything else (422 ...) stays an Error carrying GitHub's message.
 */
export function translateGitHubError(error: unknown, call: CallInfo): Error {
  if (!isOctokitError(error)) return error instanceof Error ? error : new Error(String(error));
  const what = `${call.action} on ${call.repository}`;
  const detail = githubMessage(error);
  if (isRateLimited(error)) return new Transient(`GitHub rate limit hit during ${what}: ${detail}`);
  if (error.status >= 500) return new Transient(`GitHub failed during ${what} (${error.status}): ${detail}`);
  if (error.status === 404) return new NotFound(`${what}: not found, or the app is not installed there (${detail})`);
  if (error.status === 409) return new Conflict(`${what}: ${detail}`);
  if (error.status === 401) {
    return new ForgePermissionError(
      `GitHub refused the app's credentials for ${what} (401: ${detail}); the app needs ${call.permission} on ${call.repository}`,
      call.repository,
      call.permission,
      401,
    );
  }
  if (error.status === 403) {
    return new ForgePermissionError(
      `the app needs ${call.permission} on ${call.repository} for ${call.action} (403: ${detail})`,
      call.repository,
      call.permission,
      403,
    );
  }
  return new Error(`${what} failed (${error.status}): ${detail}`);
}

/** Run one GitHub call, translating its failure. */
export async function githubCall<T>(call: CallInfo, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw translateGitHubError(error, call);
  }
}

/** `undefined` instead of NotFound: for the port methods where "missing" is an answer, not a failure. */
export async function unlessNotFound<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof NotFound) return undefined;
    throw error;
  }
}
