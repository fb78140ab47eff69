import { generateKeyPairSync } from "node:crypto";
import type { pino } from "pino";
import { Probot, Server } from "probot";
import type { buildServices } from "../app/buildServices.js";
import { gimletApp } from "../app/index.js";

/** A Probot `Server` on loopback with the app loaded over `services` (as app/runner.ts loads it); its URL. */
export async function startWebhookServer(
  services: ReturnType<typeof buildServices>,
  log: pino.Logger,
  secret: string,
  cleanups: Array<() => unknown>,
): Promise<string> {
  const privateKey = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  for (let attempt = 1; ; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 40000); // Probot's Server treats port 0 as 3000
    const server = new Server({
      Probot: Probot.defaults({ appId: 1, privateKey, secret, log }),
      host: "127.0.0.1",
      port,
      log,
      enableStaticFiles: false,
    });
    try {
      await server.load(gimletApp(() => services));
      await server.start();
    } catch (error) {
      if ((error as { code?: string }).code === "EADDRINUSE" && attempt < 5) continue;
      throw error;
    }
    cleanups.push(() => server.stop());
    return `http://127.0.0.1:${port}`;
  }
}
