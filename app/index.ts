import type { ApplicationFunction, Probot } from "probot";
import { z } from "zod";
import { webhookHandlers } from "./handlers/index.js";
import { createRouter } from "./http/router.js";
import { webhookMiddleware } from "./http/webhooks.js";
import { apiRoutes } from "./routes/index.js";
import { type AppServices, track } from "./services.js";

/** The repository a delivery is about, when it names one (for log lines only; handlers check their own payloads). */
const RepositoryOf = z.object({ repository: z.object({ full_name: z.string() }) });

/**
 * Delivery ids this replica handled or is handling, so a duplicate is not acted on twice. A failed delivery is
 * forgotten: GitHub's "Redeliver" reuses the id, and it must run again.
 */
export class DeliveryLog {
  private readonly done = new Set<string>();
  private readonly running = new Set<string>();
  constructor(private readonly capacity = 5000) {}

  /** True when the id is neither done nor running; it is then running until `finish`. */
  begin(id: string): boolean {
    if (this.done.has(id) || this.running.has(id)) return false;
    this.running.add(id);
    return true;
  }

  finish(id: string, succeeded: boolean): void {
    this.running.delete(id);
    if (!succeeded) return;
    this.done.add(id);
    if (this.done.size > this.capacity) this.done.delete(this.done.values().next().value as string);
  }
}

/**
 * The Probot app: one handler per webhook event from an explicit table, and the HTTP API as a node handler.
 * `servicesFor` builds the services from the Probot instance (its GitHub auth), once.
 */
export function gimletApp(servicesFor: (app: Probot) => AppServices): ApplicationFunction {
  return (app, { addHandler }) => {
    const services = servicesFor(app);
    // Probot's Server mounts `getNodeMiddleware()` ahead of every other handler; ours bounds and verifies the body
    // before buffering it all (app/http/webhooks.ts), for any Server this app is loaded into.
    app.getNodeMiddleware = async () =>
      webhookMiddleware(app, services.limits, services.log, services.webhookSecret, (work) => track(services, work));
    const deliveries = new DeliveryLog();
    for (const handler of webhookHandlers) {
      app.on(handler.event, async (context) => {
        services.deps.metrics.webhooks.inc({ event: handler.event });
        if (!deliveries.begin(context.id)) {
          services.log.info({ deliveryId: context.id, event: handler.event }, "delivery already handled");
          return;
        }
        const repo = RepositoryOf.safeParse(context.payload).data?.repository.full_name;
        const log =
          (services.log as { child?(b: object): AppServices["log"] }).child?.({
            deliveryId: context.id,
            event: handler.event,
            repo,
          }) ?? services.log;
        let succeeded = false;
        try {
          await handler.handle(
            { ...services, log, deps: { ...services.deps, log } },
            { id: context.id, name: context.name, payload: context.payload },
          );
          succeeded = true;
        } finally {
          deliveries.finish(context.id, succeeded);
        }
      });
    }
    addHandler(
      createRouter(apiRoutes(services), {
        log: services.log,
        onResponse: (route, status, seconds) =>
          services.deps.metrics.httpRequests.observe({ route, status: String(status) }, seconds),
      }),
    );
  };
}
