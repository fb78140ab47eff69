import { Writable } from "node:stream";
import { expect, test } from "@jest/globals";
import { pino } from "pino";
import { REDACTED_HEADERS } from "../../app/runner.js";

test("request logs never carry credentials: Authorization, cookies and signatures are redacted", () => {
  const lines: string[] = [];
  const sink = new Writable({
    write: (chunk, _encoding, done) => {
      lines.push(String(chunk));
      done();
    },
  });
  const log = pino({ redact: { paths: REDACTED_HEADERS, censor: "[redacted]" } }, sink);
  log.info(
    {
      req: {
        method: "POST",
        url: "/api/artifacts",
        headers: {
          authorization: "Bearer gmlt_secret",
          "x-signature": "sha256=ab",
          "x-hub-signature-256": "sha256=cd",
          cookie: "a=b",
          host: "gimlet",
        },
      },
    },
    "request",
  );
  const text = lines.join("");
  expect(text).not.toMatch(/gmlt_secret|sha256=ab|sha256=cd|a=b/);
  expect(JSON.parse(text).req.headers).toEqual({
    authorization: "[redacted]",
    "x-signature": "[redacted]",
    "x-hub-signature-256": "[redacted]",
    cookie: "[redacted]",
    host: "gimlet",
  });
});
