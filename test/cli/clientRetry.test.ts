import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "@jest/globals";
import { createApiClient } from "../../plugins/cli/client.js";
import { Transient } from "../../shared/errors.js";

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server on loopback answering the given replies in turn (the last one repeats); returns its URL and the count. */
async function serve(
  replies: Array<{ status: number; headers?: Record<string, string>; body: unknown }>,
): Promise<{ url: string; asked: () => number }> {
  let asked = 0;
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const reply = replies[Math.min(asked, replies.length - 1)]!;
      asked++;
      res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, asked: () => asked };
}

const notStoredYet = {
  status: 503,
  headers: { "retry-after": "0" },
  body: {
    error: {
      code: "transient",
      reasonCode: "artifact_not_stored_yet",
      message: "artifact x was accepted 0 s ago and is not stored on GitHub yet",
      details: [],
    },
  },
};
const token = { get: async () => "gmlt_test" };

describe("the CLI's client and 503 + Retry-After", () => {
  test("asks again (backing off) until the server can answer", async () => {
    const { url, asked } = await serve([notStoredYet, notStoredYet, { status: 202, body: { trackingId: "t" } }]);
    const answer = await createApiClient(url, token).request("POST", "/api/releases", { env: "staging" });
    expect(answer).toEqual({ status: 202, body: { trackingId: "t" } });
    expect(asked()).toBe(3);
  });

  test("gives up when the budget would pass, with the server's reason", async () => {
    const { url, asked } = await serve([notStoredYet]);
    const failed = createApiClient(url, token).request("POST", "/api/releases", {}, { retryForMs: 100 });
    await expect(failed).rejects.toThrow(Transient);
    await expect(failed).rejects.toThrow(
      "artifact x was accepted 0 s ago and is not stored on GitHub yet (HTTP 503; still so when the retries ran out)",
    );
    expect(asked()).toBe(1);
  });

  test("a 503 without Retry-After is not asked again", async () => {
    const { url, asked } = await serve([{ status: 503, body: { error: { code: "transient", message: "down" } } }]);
    await expect(createApiClient(url, token).request("GET", "/api/artifacts")).rejects.toThrow(
      "the server failed (503): down",
    );
    expect(asked()).toBe(1);
  });
});
