import { checkRunActionHandler } from "./checkRunAction.js";
import { deleteHandler } from "./delete.js";
import { installationHandler } from "./installation.js";
import { issueCommentHandler } from "./issueComment.js";
import { pullRequestClosedHandler } from "./pullRequestClosed.js";
import { pushHandler } from "./push.js";
import type { WebhookHandler } from "./types.js";

/** Every webhook the app acts on, one handler per event (and action). */
export const webhookHandlers: readonly WebhookHandler[] = [
  pushHandler,
  checkRunActionHandler,
  installationHandler,
  issueCommentHandler,
  pullRequestClosedHandler,
  deleteHandler,
];
