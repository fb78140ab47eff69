import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Probot } from "probot";
import { formatBytes } from "../../shared/manifest/yaml.js";
import type { Logger } from "../../shared/ports.js";
import { WebhookPayloadError } from "../handlers/types.js";
import { type Limits, limitSettings } from "../limits.js";
import { collectGarbage } from "./collectGarbage.js";
import { HttpError } from "./errors.js";
import { checkJsonDepth } from "./json.js";

/** GitHub waits 10 s for an answer; after this a verified delivery is answered 202 and keeps running. */
const ANSWER_WITHIN_MS = 9_000;
const SIGNATURE = /^sha256=[0-9a-f]{64}$/i;
const SMALL_BODY = 1024 * 1024;
const COLLECT_EVERY = 8 * 1024 * 1024;

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
      if (this.waiting.length === 0 && this.used + need <= this.capacity) {
        this.used += need;
        return resolve(release);
      }
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at < 0) return;
        this.waiting.splice(at, 1);
        reject(signal.reason);
      };
      const waiter = {
        bytes: need,
        grant: () => {
          signal.removeEventListener("abort", onAbort);
          resolve(release);
        },
      };
      this.waiting.push(waiter);
      signal.addEventListener("abort", onAbort, { once: true });
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

/** Where a body being read goes: collected chunks (small bodies) or the one reusable large-body buffer. */
interface BodySink {
  write(chunk: Buffer, at: number): void;
  /** The body as read (a view of the large buffer, valid until the sink is released). */
  body(size: number): Buffer;
}

function chunkSink(): BodySink {
  const chunks: Buffer[] = [];
  return {
    write: (chunk) => void chunks.push(chunk),
    body: (size) => Buffer.concat(chunks, size),
  };
}

function bufferSink(buffer: Buffer): BodySink {
  return {
    write: (chunk, at) => void chunk.copy(buffer, at),
    body: (size) => buffer.subarray(0, size),
  };
}

/**
 * Read at most `limit` bytes into `sink` (413 past it, without keeping the rest), or fail with `signal`'s reason when
 * it aborts first. Event listeners, not a race per chunk: a race against a promise that never settles keeps every
 * chunk reachable for as long as that promise lives.
 */
function readLimited(
  req: IncomingMessage,
  limit: number,
  signal: AbortSignal,
  sink: BodySink,
  onChunk: (chunk: Buffer) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const finish = (error: unknown, value = 0): void => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      signal.removeEventListener("abort", onAbort);
      if (error === undefined) resolve(value);
      else {
        req.pause();
        reject(error);
      }
    };
    const onData = (chunk: Buffer): void => {
      if (size + chunk.length > limit) {
        finish(
          new HttpError(
            413,
            "too_large",
            `the body is over the limit of ${formatBytes(limit)} (${limitSettings.webhookMaxBytes})`,
          ),
        );
        return;
      }
      onChunk(chunk);
      sink.write(chunk, size);
      size += chunk.length;
    };
    const onEnd = (): void => finish(undefined, size);
    const onError = (error: Error): void => finish(error);
    const onAbort = (): void => finish(signal.reason ?? new Error("aborted"));
    if (signal.aborted) return onAbort();
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    signal.addEventListener("abort", onAbort, { once: true });
  });
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
  /** The webhook secret: the HMAC is then computed while the body streams in, with no copy of it made before it matches. */
  secret?: string,
  /** Keeps a delivery answered 202 referenced while it runs on (graceful shutdown and tests wait for it). */
  stillRunning?: (work: Promise<unknown>) => void,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  // Small bodies (declared, at most 1 MiB) are read side by side within the byte budget. Larger or undeclared ones
  // take turns in ONE buffer of the per-body limit, allocated once and reused: however many large deliveries arrive
  // at once, with or without a valid signature, they never hold more memory than that buffer between them.
  const budget = new ByteBudget(Math.max(limits.webhookBufferBytes, SMALL_BODY));
  const largeTurns = new ByteBudget(1);
  let largeBuffer: Buffer | undefined;
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
    let large = false;
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
      const small = Number.isFinite(declared) && declared <= SMALL_BODY;
      large = !small;
      try {
        release = small ? await budget.acquire(declared, deadline) : await largeTurns.acquire(1, deadline);
      } catch {
        throw timedOut();
      }
      if (!small) largeBuffer ??= Buffer.allocUnsafeSlow(limits.webhookMaxBytes);
      const sink = small ? chunkSink() : bufferSink(largeBuffer as Buffer);
      const hmac = secret ? createHmac("sha256", secret) : undefined;
      let size: number;
      try {
        let sinceCollect = 0;
        size = await readLimited(req, limits.webhookMaxBytes, deadline, sink, (chunk) => {
          hmac?.update(chunk);
          sinceCollect += chunk.length;
          // A large body's socket buffers are garbage once copied: collect them as it streams, not only at its end.
          if (large && sinceCollect >= COLLECT_EVERY) {
            sinceCollect = 0;
            collectGarbage();
          }
        });
      } catch (error) {
        throw error instanceof HttpError ? error : timedOut();
      }
      const forged = () => new HttpError(400, "bad_signature", "signature does not match event payload and secret");
      if (hmac && !timingSafeEqual(hmac.digest(), Buffer.from(signature.slice("sha256=".length), "hex")))
        throw forged();
      const raw = sink.body(size);
      const text = raw.toString("utf8");
      if (!hmac && !(await probot.webhooks.verify(text, signature).catch(() => false))) throw forged();
      checkJsonDepth(raw, limits.jsonMaxDepth);
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch {
        throw new HttpError(400, "config_invalid", "the body is not valid JSON");
      }
      release();
      release = undefined; // the body is a string now: the large buffer is free for the next delivery
      if (typeof payload !== "object" || payload === null || Array.isArray(payload))
        throw new HttpError(400, "config_invalid", "body: a webhook payload must be a JSON object", [
          { path: "body", message: "must be a JSON object" },
        ]);
      const id = header(req, "x-github-delivery") as string;
      const name = header(req, "x-github-event") as string;
      let refusedBy: WebhookPayloadError | undefined;
      const handled = probot.receive({ id, name, payload } as Parameters<Probot["receive"]>[0]).then(
        () => 200,
        (error: unknown) => {
          // A payload without a field the handler relies on is the sender's fault (400), not the server's.
          refusedBy = payloadErrorOf(error);
          if (refusedBy) return 400;
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
      if (refusedBy) throw new HttpError(400, "config_invalid", refusedBy.message, refusedBy.problems);
      if (status === 200) send(res, 200, "ok\n");
      else if (status === 202) {
        stillRunning?.(handled);
        send(res, 202, "still processing\n");
      } else
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
      if (large) collectGarbage(); // its socket buffers, now garbage, before the next large body's pile up
    }
    return true;
  };
}

/** The payload error behind a handler's failure (`@octokit/webhooks` wraps handler errors in an AggregateError). */
function payloadErrorOf(error: unknown): WebhookPayloadError | undefined {
  if (error instanceof WebhookPayloadError) return error;
  const inner = (error as { errors?: unknown[] } | undefined)?.errors;
  return Array.isArray(inner)
    ? inner.find((e): e is WebhookPayloadError => e instanceof WebhookPayloadError)
    : undefined;
}
