import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, test } from "@jest/globals";
import { parseServerEnv } from "../../app/env.js";
import { runServer } from "../../app/runner.js";
import { planStartup } from "../../app/startup.js";
import { tempDir } from "../helpers/gitRepos.js";

const privateKey = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

const freePort = () => 20000 + Math.floor(Math.random() * 40000);

/** Run the server's entry with `env`; what it printed, its exit code, and whether anything listens on its port. */
async function start(env: Record<string, string>) {
  let stderr = "";
  const port = env.PORT ?? String(freePort());
  const running = await runServer({
    env: { PORT: port, HOST: "127.0.0.1", LOG_LEVEL: "silent", ...env },
    stderr: (t) => {
      stderr += t;
    },
    stdout: () => undefined,
    signals: false,
  });
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  const listening = await new Promise<boolean>((resolve) => {
    const socket = createServer().once("error", () => resolve(true));
    socket.listen(Number(port), "127.0.0.1", () => socket.close(() => resolve(false)));
  });
  await running?.stop();
  return { stderr, exitCode, running, listening };
}

const localConfig = (text: string) => {
  const dir = tempDir("gimlet-start-");
  writeFileSync(join(dir, "gimlet.local.yml"), text);
  return { GIMLET_LOCAL_CONFIG: join(dir, "gimlet.local.yml"), GIMLET_LOCAL_DIR: join(dir, ".gimlet-local") };
};

describe("fail fast at start: one path: message line per problem, exit 2, nothing listening", () => {
  test("partial GitHub credentials never fall back to local mode", async () => {
    const result = await start({ APP_ID: "123" });
    expect(result).toMatchObject({ exitCode: 2, running: undefined, listening: false });
    expect(result.stderr).toBe(
      "PRIVATE_KEY: required in GitHub mode (or PRIVATE_KEY_PATH): the GitHub App's private key; unset APP_ID for local mode\n" +
        "WEBHOOK_SECRET: required in GitHub mode: the GitHub App's webhook secret\n",
    );
    expect((await start({ WEBHOOK_SECRET: "s", PRIVATE_KEY: privateKey })).stderr).toBe(
      "APP_ID: required with PRIVATE_KEY/WEBHOOK_SECRET: the GitHub App's id\n",
    );
  });

  test("an unreadable or invalid key, a missing webhook secret", async () => {
    expect((await start({ APP_ID: "1", PRIVATE_KEY_PATH: "/nonexistent/key.pem", WEBHOOK_SECRET: "s" })).stderr).toBe(
      "PRIVATE_KEY_PATH: cannot read /nonexistent/key.pem (ENOENT)\n",
    );
    const bad = await start({ APP_ID: "1", PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\nnope", WEBHOOK_SECRET: "s" });
    expect(bad).toMatchObject({
      exitCode: 2,
      stderr: "PRIVATE_KEY: not a PEM private key (download a new one from the GitHub App's settings)\n",
    });
    expect((await start({ APP_ID: "1", PRIVATE_KEY: privateKey })).stderr).toBe(
      "WEBHOOK_SECRET: required in GitHub mode: the GitHub App's webhook secret\n",
    );
  });

  test("invalid GIMLET_* JSON and FLUX_WEBHOOK_SECRETS, all reported together", async () => {
    const result = await start({
      APP_ID: "1",
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: "s",
      GIMLET_OIDC_ISSUERS: '[{"kind":"gitlab","issuer":"https://gitlab.com"}]',
      GIMLET_API_TOKENS: "{oops",
      FLUX_WEBHOOK_SECRETS: '{"acme/gitops": "short"}',
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([
      "GIMLET_OIDC_ISSUERS[0].repositories: a GitLab or CircleCI issuer needs `repositories` (globs of the GitHub repositories its projects may act for): their project names are not GitHub's",
      expect.stringMatching(/^GIMLET_API_TOKENS: not JSON \(/),
      "FLUX_WEBHOOK_SECRETS.acme/gitops: must be a secret of at least 16 characters",
    ]);
  });

  test("an invalid gimlet.local.yml stops local mode before it listens", async () => {
    const result = await start(localConfig("environments:\n  staging:\n    repository: acme/gitops\n    paht: x\n"));
    expect(result).toMatchObject({ exitCode: 2, listening: false });
    expect(result.stderr).toMatch(/gimlet\.local\.yml: environments\.staging\.paht: unknown key\n$/);
  });

  test("a busy port is a PORT line, not a stack trace", async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const result = await start({
        PORT: String(port),
        ...localConfig("environments:\n  staging: { repository: acme/g }\n"),
      });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toBe(`PORT: ${port} is in use on 127.0.0.1; set PORT to a free port\n`);
    } finally {
      busy.close();
    }
  });
});

describe("a started server says what it trusts", () => {
  test("with GHE_HOST the default OIDC issuer is the instance's own", () => {
    const plan = planStartup(
      parseServerEnv({ APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "s", GHE_HOST: "ghe.acme.dev" }),
    );
    expect(plan.issuers).toEqual([{ kind: "github", issuer: "https://ghe.acme.dev/_services/token" }]);
    expect(plan.github?.endpoints).toEqual({
      restBaseUrl: "https://ghe.acme.dev/api/v3",
      gitBaseUrl: "https://ghe.acme.dev",
      webBaseUrl: "https://ghe.acme.dev",
    });
  });

  afterEach(() => {
    process.exitCode = undefined;
  });

  test("local mode: mode, counts, never a value", async () => {
    const lines: string[] = [];
    const running = await runServer({
      env: {
        PORT: String(freePort()),
        LOG_LEVEL: "info",
        FLUX_WEBHOOK_SECRETS: JSON.stringify({ "acme/gitops": "a-secret-of-sixteen+" }),
        ...localConfig("environments:\n  staging: { repository: acme/g }\n"),
      },
      stdout: () => undefined,
      signals: false,
      logDestination: new Writable({
        write(chunk, _e, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    await running?.stop();
    const started = lines.map((l) => JSON.parse(l)).find((l) => /local mode/.test(l.msg));
    expect(started).toMatchObject({ mode: "local", fluxSecrets: 1, sharedFluxSecret: "local file" });
    expect(lines.join("")).not.toContain("a-secret-of-sixteen+");
  });
});
