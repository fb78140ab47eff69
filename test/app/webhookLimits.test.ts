import { request } from "node:http";
import { describe, expect, test } from "@jest/globals";
import { signWebhook, useApps, useFakeGitHub } from "../helpers/appHarness.js";

const gh = useFakeGitHub();
const apps = useApps();

interface Sent {
  status: number;
  text: string;
  /** Bytes of body written before the answer came. */
  bytesSent: number;
}

/**
 * POST a webhook whose body is streamed in `chunk`-sized pieces every `everyMs`, up to `total` bytes (no
 * Content-Length unless `declare`), stopping as soon as the server answers.
 */
function streamOnce(
  url: string,
  options: {
    total: number;
    chunk: number;
    everyMs: number;
    declare?: boolean;
    signature?: string;
    /** A reset while sending counts as the server's refusal (status 0) once retries are spent. */
    resetIsAnswer?: boolean;
    /** Send the headers, then wait this long for an answer before the first byte of the body. */
    headStartMs?: number;
  },
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": `d-${Math.random()}`,
      "x-hub-signature-256": options.signature ?? `sha256=${"0".repeat(64)}`,
    };
    if (options.declare) headers["content-length"] = options.total;
    const req = request(`${url}/api/github/webhooks`, { method: "POST", headers }, (res) => {
      answered = true;
      let text = "";
      res.on("data", (d: Buffer) => {
        text += d.toString("utf8");
      });
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, text, bytesSent });
      });
    });
    req.on("error", (error) => {
      if (answered) return;
      // Reset while still sending: the server stopped reading (status 0: the answer was lost in the race).
      if (/ECONNRESET|EPIPE/.test(`${(error as { code?: string }).code} ${String(error)}`) && options.resetIsAnswer)
        resolve({ status: 0, text: "", bytesSent });
      else reject(error);
    });
    const piece = Buffer.alloc(options.chunk, 0x20);
    const pump = () => {
      if (answered || req.destroyed) return;
      if (bytesSent >= options.total) return void req.end();
      const n = Math.min(options.chunk, options.total - bytesSent);
      bytesSent += n;
      try {
        req.write(n === piece.length ? piece : piece.subarray(0, n));
      } catch (error) {
        // The server closed the connection under us: its answer may still be on its way (see streamWebhook).
        req.once("close", () => {
          if (answered) return;
          if (options.resetIsAnswer) resolve({ status: 0, text: "", bytesSent });
          else reject(error);
        });
        return;
      }
      setTimeout(pump, options.everyMs);
    };
    if (!options.headStartMs) return pump();
    // A server that refuses on the headers answers before any of the body is sent: no reset to race with its answer.
    req.flushHeaders();
    setTimeout(pump, options.headStartMs);
  });
}

/**
 * The server closes the connection of a refused upload; the client, still writing, may see the reset before it
 * reads the answer. That is a transport race, not a different answer: try again (at most twice).
 */
async function streamWebhook(url: string, options: Parameters<typeof streamOnce>[1]): Promise<Sent> {
  for (let attempt = 1; ; attempt++) {
    try {
      // The last attempt takes a reset as the answer, for the caller to accept or not.
      return await streamOnce(url, { ...options, resetIsAnswer: attempt >= 5 });
    } catch (error) {
      const reset = /ECONNRESET|EPIPE/.test(`${(error as { code?: string }).code} ${String(error)}`);
      if (attempt >= 5 || !reset) throw error;
    }
  }
}

describe("webhook bodies are bounded while streaming, before the signature is checked", () => {
  test("a declared size over GIMLET_WEBHOOK_MAX_BYTES is refused 413 before any byte is read", async () => {
    const app = await apps.start({ limits: { webhookMaxBytes: 64 * 1024 } });
    const sent = await streamWebhook(app.url, {
      total: 32 * 1024 * 1024,
      chunk: 64 * 1024,
      everyMs: 5,
      declare: true,
      headStartMs: 3000,
    });
    expect(sent.status).toBe(413);
    expect(JSON.parse(sent.text).error.message).toMatch(/GIMLET_WEBHOOK_MAX_BYTES/);
    expect(sent.bytesSent).toBeLessThan(2 * 1024 * 1024);
    expect(gh.current.lines()).toEqual([]);
  });

  test("an undeclared (chunked) body is cut off at the limit, not buffered whole", async () => {
    const app = await apps.start({ limits: { webhookMaxBytes: 64 * 1024 } });
    const sent = await streamWebhook(app.url, { total: 32 * 1024 * 1024, chunk: 16 * 1024, everyMs: 2 });
    // 413, or (on a busy machine) the connection closed under the client before it read the 413: cut off either way
    expect([413, 0]).toContain(sent.status);
    // The answer came while the upload was still going: far short of the 32 MiB offered.
    expect(sent.bytesSent).toBeLessThan(16 * 1024 * 1024);
  });

  test("a delivery without a well-formed signature is refused on its headers", async () => {
    const app = await apps.start();
    const sent = await streamWebhook(app.url, {
      total: 8 * 1024 * 1024,
      chunk: 64 * 1024,
      everyMs: 5,
      declare: true,
      signature: "sha256=",
    });
    expect(sent.status).toBe(400);
    expect(sent.bytesSent).toBeLessThan(2 * 1024 * 1024);
  });

  test("a slow delivery is never answered 202 before its signature is checked: 408 at the read deadline", async () => {
    const app = await apps.start({ limits: { webhookReadTimeoutMs: 300 } });
    const sent = await streamWebhook(app.url, { total: 4096, chunk: 16, everyMs: 50 });
    expect(sent.status).toBe(408);
    expect(JSON.parse(sent.text).error.code).toBe("timeout");
    expect(gh.current.lines()).toEqual([]);
  });

  test.each([
    ["null", "null"],
    ["a number", "1"],
    ["an array", "[]"],
    ["a string", '"push"'],
  ])("a validly signed delivery whose JSON is %s answers 400", async (_, body) => {
    const app = await apps.start();
    const response = await fetch(`${app.url}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": `d-${body}`,
        "x-hub-signature-256": signWebhook(body),
      },
      body,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/JSON object/);
    expect(gh.current.lines()).toEqual([]);
  });

  test("a validly signed delivery nested deeper than GIMLET_JSON_MAX_DEPTH answers 400", async () => {
    const app = await apps.start();
    // Built as text: JSON.stringify itself overflows the stack on 50,000 levels.
    const body = `{"ref":"refs/heads/main","nested":${'{"a":'.repeat(50_000)}{}${"}".repeat(50_000)}}`;
    const response = await fetch(`${app.url}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": "deep-1",
        "x-hub-signature-256": signWebhook(body),
      },
      body,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("too_deep");
    expect(gh.current.lines()).toEqual([]);
  });
});
