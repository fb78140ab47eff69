import type { Route } from "../http/router.js";
import type { AppServices } from "../services.js";

export function healthz(): Route {
  return { method: "GET", path: "/healthz", handle: async () => ({ status: 200, body: { status: "ok" } }) };
}

export function metrics(services: AppServices): Route {
  return {
    method: "GET",
    path: "/metrics",
    handle: async () => ({
      status: 200,
      text: await services.deps.metrics.text(),
      contentType: services.deps.metrics.registry.contentType,
    }),
  };
}
