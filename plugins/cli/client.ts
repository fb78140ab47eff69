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

export interface ApiClient {
  request<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

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
    async request<T>(method: "GET" | "POST", path: string, body?: unknown) {
      const bearer = await token.get();
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${bearer}`,
            "content-type": "application/json",
            accept: "application/json",
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(60_000),
        });
      } catch (error) {
        throw new Transient(`could not reach ${base}: ${(error as Error).message}`);
      }
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        throw new Transient(`${base}${path} answered ${response.status} with something that is not JSON`);
      }
      if (response.status >= 400) {
        const error = (parsed as { error?: { code?: string; message?: string; details?: Problem[] } } | undefined)
          ?.error;
        const message = error?.message ?? `HTTP ${response.status}`;
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
