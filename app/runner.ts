import { type DestinationStream, pino } from "pino";
import { formatProblems, GimletError, problemsOf } from "../shared/errors.js";
import { parseAgentTokens } from "./auth/index.js";
import { parseServerEnv } from "./env.js";
import { limitsFromEnv } from "./limits.js";
import { startLocalServer } from "./local/server.js";
import { startGitHubServer } from "./server.js";
import { checkPortFree, planStartup, trustSummary } from "./startup.js";

/** Probot's request log prints headers: never the credentials among them. */
export const REDACTED_HEADERS = [
  "authorization",
  "cookie",
  "x-signature",
  "x-hub-signature",
  "x-hub-signature-256",
].flatMap((name) => [`req.headers["${name}"]`, `request.headers["${name}"]`]);

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  stderr?: (text: string) => void;
  stdout?: (text: string) => void;
  /** Where pino writes (tests capture it); default stdout. */
  logDestination?: DestinationStream;
  /** Stop on SIGTERM/SIGINT (the real process); tests stop through the returned handle. */
  signals?: boolean;
}

export interface RunningServer {
  mode: "github" | "local";
  stop(): Promise<void>;
}

/**
 * Read the environment, check everything the server will trust (fail fast: `path: message` lines and exit 2 before
 * anything listens), start GitHub mode or local mode, log what it trusts, stop cleanly on SIGTERM. One top-level catch.
 */
export async function runServer(options: RunOptions = {}): Promise<RunningServer | undefined> {
  const stderr = options.stderr ?? ((text: string) => void process.stderr.write(text));
  const stdout = options.stdout ?? ((text: string) => void process.stdout.write(text));
  try {
    const env = parseServerEnv(options.env ?? process.env);
    const plan = planStartup(env);
    await checkPortFree(env.PORT, env.HOST ?? (plan.mode === "local" ? "127.0.0.1" : undefined));
    const log = pino(
      {
        level: env.LOG_LEVEL,
        base: { service: "gimlet" },
        redact: { paths: REDACTED_HEADERS, censor: "[redacted]" },
      },
      options.logDestination ?? pino.destination(1),
    );
    let running: RunningServer;
    if (plan.mode === "github") {
      const github = await startGitHubServer(env, log, plan);
      running = { mode: "github", stop: () => github.stop() };
      log.info(
        trustSummary(plan, env, parseAgentTokens(env.GIMLET_AGENT_TOKENS).length),
        `Gimlet is running in GitHub mode on port ${env.PORT}`,
      );
    } else {
      const local = await startLocalServer({
        root: env.GIMLET_LOCAL_DIR,
        configFile: env.GIMLET_LOCAL_CONFIG,
        port: env.PORT,
        host: env.HOST ?? "127.0.0.1",
        log,
        requireAgentHealth: env.GIMLET_REQUIRE_AGENT_HEALTH,
        fluxSecrets: plan.fluxSecrets,
        limits: limitsFromEnv(env),
        releaseTimeoutMs: env.GIMLET_RELEASE_TIMEOUT_SECONDS * 1000,
        sweepIntervalMs: env.GIMLET_SWEEP_INTERVAL_SECONDS * 1000,
      });
      running = { mode: "local", stop: () => local.close() };
      log.info(
        {
          ...trustSummary(plan, env, 1),
          url: local.url,
          root: env.GIMLET_LOCAL_DIR,
          apiTokens: "local file",
          sharedFluxSecret: "local file",
        },
        "Gimlet is running in local mode (no GitHub App credentials)",
      );
      if (local.newToken) {
        stdout(`\nAPI token for this local server (shown once; also in ${local.tokenFile}):\n  ${local.newToken}\n\n`);
      }
    }
    if (options.signals ?? true) {
      const stop = () => void running.stop().then(() => process.exit(0));
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    }
    return running;
  } catch (error) {
    const portTaken = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
    const problems = portTaken ? [{ path: "PORT", message: "in use; set PORT to a free port" }] : problemsOf(error);
    // One line per problem, `path: message`; exit 2 is a configuration error (as the CLI's), 1 anything else.
    stderr(`${formatProblems(problems)}\n`);
    process.exitCode = portTaken || error instanceof GimletError ? 2 : 1;
    return undefined;
  }
}
