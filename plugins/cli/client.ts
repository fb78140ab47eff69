import { ConfigError, Conflict, NotFound, PolicyDenied, type Problem, Transient } from "../../shared/errors.js";
import type { CommandContext, OptionSpec } from "./command.js";

export const repositoryOption: OptionSpec = {
  type: "string",
  description: "owner/repo (needed with an API token)",
  valueName: "o/r",
};

export const serverOptions: Record<string, OptionSpec> = {
  server: { type: "string", description: "the Gimlet server URL (default $GIMLET_SERVER)", valueName: "URL" },
  token: { type: "string", description: "API token (default $GIMLET_TOKEN)", valueName: "TOKEN" },
};

export interface ApiClient {
  request<T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/** A small JSON client for the server's API; the token never appears in output. */
export function apiClient(ctx: CommandContext): ApiClient {
  const server = (ctx.options.server as string | undefined) ?? ctx.io.env.GIMLET_SERVER;
  const token = (ctx.options.token as string | undefined) ?? ctx.io.env.GIMLET_TOKEN;
  const problems: Problem[] = [];
  if (!server) problems.push({ path: "--server", message: "required: the Gimlet server URL (or set GIMLET_SERVER)" });
  if (!token) problems.push({ path: "--token", message: "required: an API token (or set GIMLET_TOKEN)" });
  if (problems.length) throw ConfigError.of(problems);
  const base = (server as string).replace(/\/+$/, "");
  return {
    async request<T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown) {
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
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
