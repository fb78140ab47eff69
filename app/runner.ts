import { pino } from "pino";
import { formatProblems, problemsOf } from "../shared/errors.js";
import { isGitHubMode, parseServerEnv } from "./env.js";
import { limitsFromEnv } from "./limits.js";
import { startLocalServer } from "./local/server.js";
import { startGitHubServer } from "./server.js";

/** Probot's request log prints headers: never the credentials among them. */
export const REDACTED_HEADERS = [
  "authorization",
  "cookie",
  "x-signature",
  "x-hub-signature",
  "x-hub-signature-256",
].flatMap((name) => [`req.headers["${name}"]`, `request.headers["${name}"]`]);

/** Read the environment, start GitHub mode or local mode, stop cleanly on SIGTERM. One top-level catch. */
export async function runServer(): Promise<void> {
  try {
    const env = parseServerEnv(process.env);
    const log = pino({
      level: env.LOG_LEVEL,
      base: { service: "gimlet" },
      redact: { paths: REDACTED_HEADERS, censor: "[redacted]" },
    });
    if (isGitHubMode(env)) {
      const github = await startGitHubServer(env, log);
      const stop = () => void github.stop().then(() => process.exit(0));
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
      return;
    }
    const local = await startLocalServer({
      root: env.GIMLET_LOCAL_DIR,
      configFile: env.GIMLET_LOCAL_CONFIG,
      port: env.PORT,
      host: env.HOST ?? "127.0.0.1",
      log,
      requireAgentHealth: env.GIMLET_REQUIRE_AGENT_HEALTH,
      limits: limitsFromEnv(env),
    });
    log.info(
      { url: local.url, root: env.GIMLET_LOCAL_DIR },
      "Gimlet is running in local mode (no GitHub App credentials)",
    );
    if (local.newToken) {
      process.stdout.write(
        `\nAPI token for this local server (shown once; also in ${local.tokenFile}):\n  ${local.newToken}\n\n`,
      );
    }
    process.once("SIGTERM", () => void local.close().then(() => process.exit(0)));
    process.once("SIGINT", () => void local.close().then(() => process.exit(0)));
  } catch (error) {
    process.stderr.write(`gimlet could not start:\n${formatProblems(problemsOf(error))}\n`);
    process.exitCode = 1;
  }
}
