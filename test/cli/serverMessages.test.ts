import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { pino } from "pino";
import { type LocalServer, startLocalServer } from "../../app/local/server.js";
import { exampleApp } from "../helpers/ciEnv.js";
import { exampleAppCopy, runGimlet } from "../helpers/cli.js";
import { tempDir } from "../helpers/gitRepos.js";

const SHA1 = "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d";
const SHA2 = "8d3e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e";

describe("the CLI against a running server: labels and URLs", () => {
  let server: LocalServer;
  let cwd: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    const root = tempDir("gimlet-cli-messages-");
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

  async function ship(file: string, sha: string, ...flags: string[]) {
    expect(
      (await gimlet("artifact", "create", "--repository", "acme/shop", "--sha", sha, "--branch", "main", "-o", file))
        .code,
    ).toBe(0);
    expect((await gimlet("artifact", "add", "-f", file)).code).toBe(0);
    return gimlet("artifact", "push", "-f", file, ...flags);
  }

  test("artifact push labels the preview row the way policy check and artifact add do", async () => {
    const pushed = await ship("a1.json", SHA1);
    expect(pushed.code).toBe(0);
    const rows = pushed.stdout.split("\n").filter((line) => line.startsWith("staging"));
    expect(
      rows.map((row) =>
        row
          .split(/\s{2,}/)
          .slice(0, 2)
          .join(" "),
      ),
    ).toEqual(["staging shop (preview)", "staging shop", "staging shop-worker"]);
    const added = await gimlet("artifact", "add", "-f", "a1.json");
    expect(added.stdout).toContain("environments: staging/shop (preview), production/shop, staging/shop,");
  });

  test("release track --wait names the release, never an empty /", async () => {
    const pushed = await ship("a1.json", SHA1, "-o", "json");
    const { decisions } = JSON.parse(pushed.stdout) as { decisions: Array<{ app: string; trackingId?: string }> };
    const trackingId = decisions.find((d) => d.app === "shop" && d.trackingId)?.trackingId as string;
    const tracked = await gimlet("release", "track", trackingId, "--wait", "--timeout", "1");
    // local mode has no Flux: the release stays committed and --wait times out, after saying what it waits for
    expect(tracked.stderr).toMatch(/^staging\/shop: (queued|committed) — /);
    expect(tracked.stderr).toMatch(/waiting for staging\/shop\n$/);
    expect(tracked.stderr).not.toMatch(/(^|\s)\/:|for \/\n/);
    const once = await gimlet("release", "track", trackingId);
    expect(once.stdout).toMatch(/^staging\/shop: (queued|committed)/);
  });

  test("a rollback's deployment carries the environment URL like a deploy's", async () => {
    expect((await ship("a1.json", SHA1, "--wait")).code).toBe(0);
    expect((await ship("a2.json", SHA2, "--wait")).code).toBe(0);
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
    const { trackingId } = JSON.parse(rolledBack.stdout) as { trackingId: string };
    const tracked = await gimlet("release", "track", trackingId, "-o", "json");
    expect(JSON.parse(tracked.stdout)).toMatchObject({
      env: "staging",
      app: "shop",
      status: "committed",
      environmentUrl: "https://shop.staging.acme.dev",
    });
  });
});

describe("network failures", () => {
  let closer: Server;
  let url: string;
  beforeEach(async () => {
    // accepts the connection and closes it at once, like `kubectl port-forward` with no backend
    closer = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => closer.listen(0, "127.0.0.1", resolve));
    const address = closer.address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
  });
  afterEach(() => new Promise<void>((resolve) => closer.close(() => resolve())));

  test.each([
    ["release", "list", "--env", "staging"],
    ["artifact", "push", "-f", "a.json"],
  ])("%s %s against a server that closes the connection: one line, exit 1", async (...argv) => {
    const cwd = exampleAppCopy();
    writeFileSync(
      join(cwd, "a.json"),
      JSON.stringify({ version: { repositoryName: "acme/shop", sha: SHA1, branch: "main" } }),
    );
    const result = await runGimlet(argv, { cwd, env: { GIMLET_SERVER: url, GIMLET_TOKEN: "gmlt_x" } });
    expect(result).toMatchObject({
      code: 1,
      stderr: `could not reach ${url}: the server closed the connection without answering\n`,
    });
  });

  test("a refused connection and a URL that is not http are one line, exit 1, too", async () => {
    const cwd = exampleAppCopy();
    const refused = await runGimlet(["release", "list", "--env", "staging"], {
      cwd,
      env: { GIMLET_SERVER: "http://127.0.0.1:1", GIMLET_TOKEN: "gmlt_x" },
    });
    expect(refused).toMatchObject({ code: 1, stderr: "could not reach http://127.0.0.1:1: connection refused\n" });
    const ftp = await runGimlet(["release", "list", "--env", "staging"], {
      cwd,
      env: { GIMLET_SERVER: "ftp://gimlet.example", GIMLET_TOKEN: "gmlt_x" },
    });
    expect(ftp).toMatchObject({
      code: 1,
      stderr: "could not reach ftp://gimlet.example: ftp: is not http: or https:\n",
    });
  });
});
