import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../../shared/ports.js";
import { errorResponse, HttpError } from "./errors.js";

export interface RouteRequest {
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  requestId: string;
  log: Logger;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  /** Sent as is (e.g. Prometheus text, HTML) instead of JSON. */
  text?: string;
  contentType?: string;
  /** Extra response headers (e.g. `retry-after`). */
  headers?: Record<string, string>;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  /** `/api/releases/track/:trackingId` */
  path: string;
  handle(request: RouteRequest): Promise<RouteResponse>;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:([A-Za-z]+)/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { ...route, pattern: new RegExp(`^${source}$`), names };
}

function decodeParam(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, "config_invalid", `${name}: not a valid URL-encoded value`, [
      { path: name, message: "not a valid URL-encoded value" },
    ]);
  }
}

export interface RouterOptions {
  log: Logger & { child?(bindings: object): Logger };
  onResponse?(route: string, status: number, seconds: number): void;
}

/**
 * A node http handler for an explicit route table. Answers JSON, maps errors to `{error: {code, message, details}}`,
 * tags every log line with a request id. Returns false for paths it does not own, so Probot's handlers get them.
 */
export function createRouter(
  routes: readonly Route[],
  options: RouterOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const compiled = routes.map(compile);
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const matches = compiled.filter((r) => r.pattern.test(url.pathname));
    if (!matches.length) return false;
    const route = matches.find((r) => r.method === req.method);
    const started = process.hrtime.bigint();
    const requestId = (req.headers["x-request-id"] as string | undefined)?.slice(0, 100) || randomUUID();
    const log = options.log.child
      ? options.log.child({ requestId, method: req.method, path: url.pathname })
      : options.log;
    let response: RouteResponse;
    if (!route) {
      response = {
        status: 405,
        body: {
          error: {
            code: "method_not_allowed",
            message: `${req.method} is not allowed here; use ${matches.map((m) => m.method).join(" or ")}`,
            details: [],
          },
        },
      };
    } else {
      const match = route.pattern.exec(url.pathname) as RegExpExecArray;
      try {
        const params = Object.fromEntries(route.names.map((name, i) => [name, decodeParam(name, match[i + 1] ?? "")]));
        response = await route.handle({ req, params, query: url.searchParams, requestId, log });
      } catch (error) {
        const mapped = errorResponse(error);
        // a 503 with Retry-After is a state that passes (artifact_not_stored_yet), not a failure of the server
        if (mapped.status >= 500 && !mapped.headers?.["retry-after"]) log.error({ err: error }, "request failed");
        else log.info({ status: mapped.status, code: mapped.body.error.code }, mapped.body.error.message);
        response = mapped;
      }
    }
    res.setHeader("x-request-id", requestId);
    // The client may still be uploading a refused body: close, so it stops instead of keeping the socket busy.
    if (response.status === 413) res.setHeader("connection", "close");
    if (response.status === 401) res.setHeader("www-authenticate", 'Bearer realm="gimlet"');
    for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
    if (response.text !== undefined) {
      res.writeHead(response.status, { "content-type": response.contentType ?? "text/plain; charset=utf-8" });
      res.end(response.text);
    } else {
      res.writeHead(response.status, { "content-type": "application/json; charset=utf-8" });
      res.end(response.body === undefined ? "" : JSON.stringify(response.body));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    options.onResponse?.(route?.path ?? url.pathname, response.status, seconds);
    return true;
  };
}
