import type { ApplicationFunction, Probot } from "probot";
import { webhookHandlers } from "./handlers/index.js";
import { createRouter } from "./http/router.js";
import { apiRoutes } from "./routes/index.js";
import type { AppServices } from "./services.js";

/** Remembers recent delivery ids, so a redelivered webhook is not acted on twice by this replica. */
export class DeliveryLog {
  private readonly seen = new Set<string>();
  constructor(private readonly capacity = 5000) {}

  /** True the first time an id is seen. */
  first(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }
}

/**
 * The Probot app: one handler per webhook event from an explicit table, and the HTTP API as a node handler.
 * `servicesFor` builds the services from the Probot instance (its GitHub auth), once.
 */
export function gimletApp(servicesFor: (app: Probot) => AppServices): ApplicationFunction {
  return (app, { addHandler }) => {
    const services = servicesFor(app);
    const deliveries = new DeliveryLog();
    for (const handler of webhookHandlers) {
      app.on(handler.event as never, async (context: { id: string; name: string; payload: any }) => {
        services.deps.metrics.webhooks.inc({ event: handler.event });
        if (!deliveries.first(context.id)) {
          services.log.info({ deliveryId: context.id, event: handler.event }, "delivery already handled");
          return;
        }
        const repo = context.payload?.repository?.full_name as string | undefined;
        const log = (services.log as { child?(b: object): AppServices["log"] }).child?.({ deliveryId: context.id, event: handler.event, repo }) ?? services.log;
        await handler.handle({ ...services, log, deps: { ...services.deps, log } }, { id: context.id, name: context.name, payload: context.payload });
      });
    }
    addHandler(
      createRouter(apiRoutes(services), {
        log: services.log,
        onResponse: (route, status, seconds) => services.deps.metrics.httpRequests.observe({ route, status: String(status) }, seconds),
      }),
    );
  };
}
