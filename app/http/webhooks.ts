import type { IncomingMessage, ServerResponse } from "node:http";
import type { Probot } from "probot";
import { formatBytes } from "../../shared/manifest/yaml.js";
import type { Logger } from "../../shared/ports.js";
import { type Limits, limitSettings } from "../limits.js";
import { HttpError } from "./errors.js";
import { checkJsonDepth } from "./json.js";

/** GitHub waits 10 s for an answer; after this a verified delivery is answered 202 and keeps running. */
const ANSWER_WITHIN_MS = 9_000;
const SIGNATURE = /^sha256=[0-9a-f]{64}$/i;

/**
 * Bytes of webhook bodies held in memory at once, across deliveries. A delivery reserves its size (its
 * Content-Length, or the per-body limit when it sends none) before reading; the rest wait in order, so a burst of
 * large forged deliveries can't buffer more than this between them.
 */
export class ByteBudget {
  private used = 0;
  private readonly waiting: Array<{ bytes: number; grant(): void }> = [];
  constructor(readonly capacity: number) {}

  /** Resolves with a release function once `bytes` fit; rejects when `signal` aborts first. */
  acquire(bytes: number, signal: AbortSignal): Promise<() => void> {
    const need = Math.min(bytes, this.capacity);
    return new Promise((resolve, reject) => {
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.used -= need;
        this.grantWaiting();
      };
      const waiter = { bytes: need, grant: () => resolve(release) };
      if (this.waiting.length === 0 && this.used + need <= this.capacity) {
        this.used += need;
        return resolve(release);
      }
      this.waiting.push(waiter);
      signal.addEventListener(
        "abort",
        () => {
          const at = this.waiting.indexOf(waiter);
          if (at < 0) return;
          this.waiting.splice(at, 1);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  get inUse(): number {
    return this.used;
  }

  private grantWaiting(): void {
    for (;;) {
      const next = this.waiting[0];
      if (!next || this.used + next.bytes > this.capacity) return;
      this.waiting.shift();
      this.used += next.bytes;
      next.grant();
    }
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Read at most `limit` bytes (413 past it, without buffering the rest), or 408 when `signal` aborts first. */
async function readLimited(req: IncomingMessage, limit: number, signal: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(signal.reason);
    if (signal.aborted) fail();
    signal.addEventListener("abort", fail, { once: true });
  });
  aborted.catch(() => undefined);
  const iterator = req[Symbol.asyncIterator]();
  for (;;) {
    const next = await Promise.race([iterator.next(), aborted]);
    if (next.done) break;
    const chunk = next.value as Buffer;
    size += chunk.length;
    if (size > limit)
      throw new HttpError(
        413,
        "too_large",
        `the body is over the limit of ${formatBytes(limit)} (${limitSettings.webhookMaxBytes})`,
      );
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  if (close) headers.connection = "close";
  res.writeHead(status, headers);
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

function refusal(error: HttpError) {
  return { error: { code: error.code, message: error.message, details: error.details } };
}

/**
 * The webhook endpoint, in place of @octokit/webhooks' node middleware (which buffers a whole body of any size
 * before checking its signature, and answers 202 on a timer that can fire before the signature is checked).
 * In order, each refusal before any more work: headers (event, delivery, a well-formed sha256 signature), the
 * declared size, room in the shared buffer budget, the body streamed under the per-body limit and a deadline, the
 * HMAC, then JSON that is an object and not nested too deep. Only a verified delivery reaches the handlers; it is
 * answered when they finish, or 202 once GitHub's answer deadline nears.
 */
export function webhookMiddleware(
  probot: Probot,
  limits: Limits,
  log: Logger,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const budget = new ByteBudget(Math.max(limits.webhookBufferBytes, limits.webhookMaxBytes));
  const path = probot.webhookPath.replace(/\/+$/, "") || "/";
  return async (req, res) => {
    let pathname: string;
    try {
      pathname = new URL(req.url ?? "/", "http://localhost").pathname.replace(/\/+$/, "") || "/";
    } catch {
      return false;
    }
    if (pathname !== path) return false;
    let release: (() => void) | undefined;
    try {
      if (req.method !== "POST") throw new HttpError(404, "not_found", `Unknown route: ${req.method} ${pathname}`);
      const contentType = header(req, "content-type");
      if (!contentType || !/^\s*application\/json\s*(;|$)/i.test(contentType))
        throw new HttpError(
          415,
          "unsupported_media_type",
          'Unsupported "Content-Type" header value. Must be "application/json"',
        );
      const missing = ["x-github-event", "x-hub-signature-256", "x-github-delivery"].filter((h) => !header(req, h));
      if (missing.length) throw new HttpError(400, "config_invalid", `Required headers missing: ${missing.join(", ")}`);
      const signature = header(req, "x-hub-signature-256") as string;
      if (!SIGNATURE.test(signature))
        throw new HttpError(400, "bad_signature", "signature does not match event payload and secret");
      const declared = Number(header(req, "content-length"));
      if (Number.isFinite(declared) && declared > limits.webhookMaxBytes)
        throw new HttpError(
          413,
          "too_large",
          `the body is ${formatBytes(declared)}; the limit is ${formatBytes(limits.webhookMaxBytes)} (${limitSettings.webhookMaxBytes})`,
        );
      const deadline = AbortSignal.timeout(limits.webhookReadTimeoutMs);
      const timedOut = () =>
        new HttpError(
          408,
          "timeout",
          `the body did not arrive within ${limits.webhookReadTimeoutMs} ms (${limitSettings.webhookReadTimeoutMs})`,
        );
      try {
        release = await budget.acquire(Number.isFinite(declared) ? declared : limits.webhookMaxBytes, deadline);
      } catch {
        throw timedOut();
      }
      let raw: Buffer;
      try {
        raw = await readLimited(req, limits.webhookMaxBytes, deadline);
      } catch (error) {
        throw error instanceof HttpError ? error : timedOut();
      }
      const text = raw.toString("utf8");
      if (!(await probot.webhooks.verify(text, signature).catch(() => false)))
        throw new HttpError(400, "bad_signature", "signature does not match event payload and secret");
      checkJsonDepth(raw, limits.jsonMaxDepth);
      raw = Buffer.alloc(0);
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch {
        throw new HttpError(400, "config_invalid", "the body is not valid JSON");
      }
      if (typeof payload !== "object" || payload === null || Array.isArray(payload))
        throw new HttpError(400, "config_invalid", "body: a webhook payload must be a JSON object", [
          { path: "body", message: "must be a JSON object" },
        ]);
      release();
      release = undefined;
      const id = header(req, "x-github-delivery") as string;
      const name = header(req, "x-github-event") as string;
      const handled = probot.receive({ id, name, payload } as Parameters<Probot["receive"]>[0]).then(
        () => 200,
        (error: unknown) => {
          log.error({ err: error, deliveryId: id, event: name }, "webhook handler failed");
          return 500;
        },
      );
      let timer: NodeJS.Timeout | undefined;
      const status = await Promise.race([
        handled,
        new Promise<number>((resolve) => {
          timer = setTimeout(() => resolve(202), ANSWER_WITHIN_MS);
        }),
      ]);
      clearTimeout(timer);
      if (status === 200) send(res, 200, "ok\n");
      else if (status === 202) send(res, 202, "still processing\n");
      else
        send(res, 500, {
          error: { code: "internal", message: "the webhook handler failed; see the server log", details: [] },
        });
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      log.info({ status: error.status, code: error.code }, `webhook refused: ${error.message}`);
      // The refused body may still be arriving: close the connection so the client stops sending it.
      send(res, error.status, refusal(error), true);
      req.resume();
    } finally {
      release?.();
    }
    return true;
  };
}
