import type { Context } from "probot";
import type { z } from "zod";
import { ConfigError, prefixProblems } from "../../shared/errors.js";
import { zodProblems } from "../../shared/validation.js";
import type { AppServices } from "../services.js";

/** A webhook event name, with or without its action: `push`, `check_run.requested_action`, `installation`, … */
export type WebhookEventName = Context["name"];

/** The payload GitHub documents for an event (and action), as Probot and `@octokit/webhooks` type it. */
export type WebhookPayload<E extends WebhookEventName> = Context<E>["payload"];

/** The slice of a webhook delivery a handler reads; Probot's context satisfies it. */
export interface WebhookDelivery<P> {
  id: string;
  name: string;
  payload: P;
}

/** A handler as the app's table holds it: it takes any delivery and checks the payload before acting on it. */
export interface WebhookHandler {
  event: WebhookEventName;
  handle(services: AppServices, delivery: WebhookDelivery<unknown>): Promise<void>;
}

/**
 * A signed delivery whose payload lacks a field the handler relies on (or is not an object): the sender's fault, so
 * a 400 (`@octokit/webhooks` answers with an error's `status`), never a 500.
 */
export class WebhookPayloadError extends ConfigError {
  readonly status = 400;
}

/**
 * A handler for one event (and action). `schema` checks the fields the handler relies on that GitHub may omit; the
 * handler then sees the library's payload type narrowed by what the schema proved.
 */
export function webhookHandler<E extends WebhookEventName, S extends z.ZodType>(
  event: E,
  schema: S,
  handle: (services: AppServices, delivery: WebhookDelivery<WebhookPayload<E> & z.output<S>>) => Promise<void>,
): WebhookHandler {
  return {
    event,
    async handle(services, delivery) {
      const checked = schema.safeParse(delivery.payload);
      if (!checked.success) {
        const problems = prefixProblems("payload", zodProblems(checked.error));
        throw new WebhookPayloadError(
          `${event} delivery ${delivery.id}: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
          problems,
        );
      }
      // The schema proved the fields it names; the rest is GitHub's documented payload for this event.
      const payload = delivery.payload as WebhookPayload<E> & z.output<S>;
      await handle(services, { id: delivery.id, name: delivery.name, payload });
    },
  };
}
