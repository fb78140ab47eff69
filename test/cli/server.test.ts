import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { pino } from "pino";
import { type LocalServer, startLocalServer } from "../../app/local/server.js";
import { exampleApp } from "../helpers/ciEnv.js";
import { exampleAppCopy, runGimlet } from "../helpers/cli.js";
import { tempDir } from "../helpers/gitRepos.js";

const SHA1 = "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d";
const SHA2 = "8d3e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e";
let server: LocalServer;
let cwd: string;
let env: Record<string, string>;

beforeEach(async () => {
  const root = tempDir("gimlet-cli-server-");
  const configFile = join(root, "gimlet.local.yml");
  writeFileSync(configFile, readFileSync(join(exampleApp, ".github", "gimlet.yml"), "utf8"));
  server = await startLocalServer({
    root: join(root, ".gimlet-local"),
    configFile,
    port: 0,
    host: "127.0.0.1",
    log: pino({ level: "silent" }),
  });
  cwd = exampleAppCopy();
  env = { GIMLET_SERVER: server.url, GIMLET_TOKEN: server.newToken as string, GIMLET_ACTOR: "alice" };
});
afterEach(() => server.close());

const gimlet = (...argv: string[]) => runGimlet(argv, { cwd, env });

async function artifact(file: string, sha: string) {
  expect(
    (await gimlet("artifact", "create", "--repository", "acme/shop", "--sha", sha, "--branch", "main", "-o", file))
      .code,
  ).toBe(0);
  expect((await gimlet("artifact", "add", "-f", file)).code).toBe(0);
}

describe("the CLI against a running server", () => {
  test("artifact push --wait, release list, release make, release rollback --wait, release track", async () => {
    await artifact("a1.json", SHA1);
    const pushed = await gimlet("artifact", "push", "-f", "a1.json", "--wait", "-o", "json");
    expect(pushed.code).toBe(0);
    const first = JSON.parse(pushed.stdout);
    expect(first.releases.map((r: { app: string; status: string }) => `${r.app}:${r.status}`)).toEqual([
      "shop:committed",
      "shop-worker:committed",
    ]);

    await artifact("a2.json", SHA2);
    expect((await gimlet("artifact", "push", "-f", "a2.json", "--wait")).code).toBe(0);

    // a manual release of the first artifact's worker to staging: it was already live there once, now it comes back
    const made = await gimlet(
      "release",
      "make",
      "--repository",
      "acme/shop",
      "--env",
      "staging",
      "--app",
      "shop-worker",
      "--artifact-id",
      first.id,
      "--wait",
      "-o",
      "json",
    );
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout)).toEqual([
      expect.objectContaining({ env: "staging", app: "shop-worker", status: "committed" }),
    ]);

    const rolledBack = await gimlet(
      "release",
      "rollback",
      "--repository",
      "acme/shop",
      "--env",
      "staging",
      "--app",
      "shop",
      "--wait",
      "-o",
      "json",
    );
    expect(rolledBack.code).toBe(0);
    const rollback = JSON.parse(rolledBack.stdout);
    expect(rollback).toMatchObject({ status: "committed", rolledBackTo: expect.stringMatching(/^[0-9a-f]{40}$/) });

    const log = await gimlet(
      "release",
      "list",
      "--repository",
      "acme/shop",
      "--env",
      "staging",
      "--app",
      "shop",
      "-o",
      "json",
    );
    expect(
      JSON.parse(log.stdout).map(
        (e: { type: string; rolledBack: boolean; pinned?: boolean }) =>
          `${e.type}${e.rolledBack ? " (rolled back)" : ""}${e.pinned ? " pinned" : ""}`,
      ),
    ).toEqual(["rollback pinned", "deploy (rolled back)", "deploy"]);
    const human = await gimlet("release", "list", "--repository", "acme/shop", "--env", "staging");
    expect(human.stdout).toMatch(/^CREATED\s+TYPE\s+APP/);

    const tracked = await gimlet("release", "track", rollback.trackingId, "-o", "json");
    expect(JSON.parse(tracked.stdout)).toMatchObject({ status: "committed", final: false });
  });

  test("server errors come back as path: message with the right exit code", async () => {
    const missing = await gimlet(
      "release",
      "make",
      "--repository",
      "acme/shop",
      "--env",
      "staging",
      "--artifact-id",
      "acme-shop-nope",
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no artifact acme-shop-nope/);
    const usage = await gimlet("release", "rollback", "--env", "staging");
    expect(usage).toMatchObject({ code: 2, stderr: "--app: required\n" });
    const unauthorized = await runGimlet(["release", "list", "--env", "staging", "--repository", "acme/shop"], {
      cwd,
      env: { ...env, GIMLET_TOKEN: "gmlt_wrongwrongwrongwrongwrongwrongwrong" },
    });
    expect(unauthorized.code).toBe(2);
    expect(unauthorized.stderr).toMatch(/token/i);
  });
});
