import { ConfigError, Conflict, NotFound, PolicyDenied, type Problem, Transient } from "../../shared/errors.js";
import { type ResolvedToken, resolveToken } from "./ciToken.js";
import type { CommandContext, OptionSpec } from "./command.js";

export const repositoryOption: OptionSpec = {
  type: "string",
  description: "owner/repo (needed with an API token)",
  valueName: "o/r",
};

export const serverOptions: Record<string, OptionSpec> = {
  server: { type: "string", description: "the Gimlet server URL (default $GIMLET_SERVER)", valueName: "URL" },
  token: {
    type: "string",
    description: "API token (default: the CI's OIDC token, else $GIMLET_TOKEN)",
    valueName: "TOKEN",
  },
  auth: {
    type: "string",
    description: "auto (default: the CI's OIDC token, else $GIMLET_TOKEN), oidc or token ($GIMLET_AUTH)",
    valueName: "MODE",
  },
  audience: {
    type: "string",
    description: "OIDC audience asked of GitHub Actions (default $GIMLET_AUDIENCE or gimlet)",
    valueName: "AUD",
  },
  "id-token-var": {
    type: "string",
    description: "GitLab: the id_tokens variable holding the token (default GIMLET_ID_TOKEN)",
    valueName: "NAME",
  },
};

export interface RequestOptions {
  /**
   * How long to keep asking while the server answers 503 with `Retry-After` (a state that passes with time, such as
   * `artifact_not_stored_yet`); default DEFAULT_RETRY_MS. Each wait is the server's `Retry-After`, doubling, at most
   * MAX_RETRY_WAIT_MS, never past the budget.
   */
  retryForMs?: number;
}

export interface ApiClient {
  request<T>(
    method: "GET" | "POST" | "DELETE",
    path: string,
    body?: unknown,
    options?: RequestOptions,
  ): Promise<{ status: number; body: T }>;
}

export const DEFAULT_RETRY_MS = 60_000;
const MAX_RETRY_WAIT_MS = 15_000;

/** A small JSON client for the server's API; the token never appears in output. */
export function apiClient(ctx: CommandContext): ApiClient {
  const server = (ctx.options.server as string | undefined) ?? ctx.io.env.GIMLET_SERVER;
  const problems: Problem[] = [];
  if (!server) problems.push({ path: "--server", message: "required: the Gimlet server URL (or set GIMLET_SERVER)" });
  let token: ResolvedToken | undefined;
  try {
    token = resolveToken(ctx.io.env, {
      token: ctx.options.token as string | undefined,
      auth: ctx.options.auth as string | undefined,
      audience: ctx.options.audience as string | undefined,
      idTokenVariable: ctx.options["id-token-var"] as string | undefined,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length) throw ConfigError.of(problems);
  return createApiClient(server as string, token as ResolvedToken);
}

/** The one HTTP client of every shipper (CLI, Action, orb, GitLab component). */
export function createApiClient(server: string, token: Pick<ResolvedToken, "get">): ApiClient {
  const base = (server as string).replace(/\/+$/, "");
  return {
    async request<T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown, options: RequestOptions = {}) {
      const deadline = Date.now() + (options.retryForMs ?? DEFAULT_RETRY_MS);
      let exchange = await send(method, base, path, await token.get(), body);
      // 503 + Retry-After: the server says asking again will work (nothing was done); keep asking within the budget.
      for (
        let wait = (exchange.retryAfter ?? 0) * 1000;
        exchange.status === 503 && exchange.retryAfter !== undefined;
      ) {
        wait = Math.min(Math.max(wait, exchange.retryAfter * 1000, 250), MAX_RETRY_WAIT_MS);
        if (Date.now() + wait > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait *= 2;
        exchange = await send(method, base, path, await token.get(), body);
      }
      const { status, text } = exchange;
      const response = { status };
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        throw new Transient(`${base}${path} answered ${status} with something that is not JSON`);
      }
      if (response.status >= 400) {
        const error = (parsed as { error?: { code?: string; message?: string; details?: Problem[] } } | undefined)
          ?.error;
        const message = error?.message ?? `HTTP ${response.status}`;
        if (response.status === 503 && exchange.retryAfter !== undefined)
          throw new Transient(`${message} (HTTP 503; still so when the retries ran out)`);
        if (response.status >= 500) throw new Transient(`the server failed (${response.status}): ${message}`);
        // The server's error code decides the exit code: refused by policy 3, not found or a conflict 1, the rest 2.
        if (error?.code === "policy_denied") throw new PolicyDenied(message, "policy_denied");
        if (error?.code === "not_found") throw new NotFound(message);
        if (error?.code === "conflict") throw new Conflict(message);
        throw ConfigError.of(
          error?.details?.length ? error.details : [{ path: "", message: `${message} (HTTP ${response.status})` }],
        );
      }
      return { status: response.status, body: parsed as T };
    },
  };
}

const TIMEOUT_MS = 60_000;
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * node:http or node:https, loaded on the first request: together they are about a tenth of the CLI's and the Action's
 * start-up, and a dry run or `gimlet --help` never sends one.
 */
async function transport(protocol: "http:" | "https:"): Promise<typeof import("node:http").request> {
  return protocol === "https:" ? (await import("node:https")).request : (await import("node:http")).request;
}

/**
 * One HTTP exchange over node:http. Not fetch: when a server accepts the connection and closes it (a
 * `kubectl port-forward` without a backend), fetch's promise never settled, so the process ran out of work and
 * Node exited 13 without a word. Here every failure (refused, reset, closed, timed out, a bad URL) is one Transient
 * line, exit 1.
 */
async function send(
  method: string,
  base: string,
  path: string,
  token: string,
  body: unknown,
): Promise<{ status: number; text: string; retryAfter?: number }> {
  const unreachable = (why: string) => new Transient(`could not reach ${base}: ${why}`);
  let target: URL;
  try {
    target = new URL(`${base}${path}`);
  } catch {
    throw unreachable("not a URL");
  }
  if (target.protocol !== "http:" && target.protocol !== "https:")
    throw unreachable(`${target.protocol} is not http: or https:`);
  const request = await transport(target.protocol);
  return new Promise((resolve, reject) => {
    const fail = (why: string) => reject(unreachable(why));
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      target,
      {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          ...(payload === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
        },
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            res.destroy();
            fail(`the answer is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB`);
          } else chunks.push(chunk);
        });
        res.on("end", () => {
          // Retry-After in seconds (the server's form); an HTTP date or nonsense is ignored
          const retryAfter = /^\d{1,4}$/.test(String(res.headers["retry-after"] ?? ""))
            ? Number(res.headers["retry-after"])
            : undefined;
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString("utf8"),
            ...(retryAfter === undefined ? {} : { retryAfter }),
          });
        });
        res.on("error", (error) => fail(describe(error)));
        res.on("aborted", () => fail("the connection closed before the answer was complete"));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on("error", (error) => fail(describe(error)));
    req.end(payload);
  });
}

function describe(error: Error & { code?: string }): string {
  if (error.code === "ECONNRESET" || error.code === "EPIPE" || error.message === "socket hang up")
    return "the server closed the connection without answering";
  if (error.code === "ECONNREFUSED") return "connection refused";
  if (error.code === "ENOTFOUND") return "no such host";
  return error.message;
}
