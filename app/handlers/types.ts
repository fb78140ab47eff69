import type { AppServices } from "../services.js";

/** The slice of a webhook delivery a handler reads; Probot's context satisfies it. */
export interface WebhookDelivery<P = unknown> {
  id: string;
  name: string;
  payload: P;
}

export interface WebhookHandler {
  /** `push`, `check_run.requested_action`, … */
  event: string;
  handle(services: AppServices, delivery: WebhookDelivery<any>): Promise<void>;
}
