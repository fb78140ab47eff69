import { createHmac, generateKeyPairSync } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { runServer } from "../../app/runner.js";
import {
  api,
  deliver,
  FakeGitHub,
  fluxEvent,
  INSTALLATION_TOKEN,
  useFakeGitHub,
  webhookExample,
} from "../helpers/appHarness.js";
import { type GitHttpServer, startGitHttp } from "../helpers/gitHttp.js";
import { git, tempDir } from "../helpers/gitRepos.js";
import { TestOidcServer } from "../helpers/oidc.js";

/** api.github.com, nock'd: it must receive nothing. Any other non-loopback host is refused by nock. */
const dotcom = useFakeGitHub();

const privateKey = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

const FLUX_SECRETS = { "acme/gitops-staging": "staging-cluster-secret-0001" };
const CONFIG = "environments:\n  staging: { repository: acme/gitops-staging, path: staging }\n";

describe("GitHub Enterprise Server: GHE_HOST points REST, the App's JWT calls and git at one host", () => {
  let ghe: FakeGitHub;
  let host: GitHttpServer;
  let oidc: TestOidcServer;
  beforeAll(async () => {
    oidc = await TestOidcServer.start();
  });
  afterAll(async () => {
    await oidc.close();
  });

  test("a signed webhook and a Flux event: every REST, JWT and git request goes to GHE_HOST, none to github.com; the log says what it trusts", async () => {
    ghe = new FakeGitHub();
    host = await startGitHttp({ token: INSTALLATION_TOKEN, rest: ghe });
    const bare = host.createRepo("acme/gitops-staging");
    const seed = tempDir("gimlet-ghe-seed-");
    git(seed, ["init", "-q", "--initial-branch=main"]);
    git(seed, ["-c", "user.name=t", "-c", "user.email=t@x", "commit", "-q", "--allow-empty", "-m", "seed"]);
    git(seed, ["push", "-q", bare, "main"]);
    const logs: string[] = [];
    const logDestination = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    });
    const port = 20000 + Math.floor(Math.random() * 40000);
    const workDir = tempDir("gimlet-ghe-work-");
    const running = await runServer({
      env: {
        APP_ID: "123",
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: "webhook-secret",
        PORT: String(port),
        HOST: "127.0.0.1",
        GHE_HOST: host.url.replace("http://", ""),
        GHE_PROTOCOL: "http",
        GIMLET_OIDC_ISSUERS: JSON.stringify([{ kind: "github", issuer: oidc.issuer() }]),
        FLUX_WEBHOOK_SECRETS: JSON.stringify(FLUX_SECRETS),
        GIMLET_WORK_DIR: workDir,
        LOG_LEVEL: "info",
      },
      signals: false,
      logDestination,
      stderr: (text) => logs.push(`stderr: ${text}`),
    });
    expect(running?.mode).toBe("github");
    try {
      const app = { url: `http://127.0.0.1:${port}` };
      // a signed webhook: the App's JWT (installation token), then REST reads and one write, all on the GHE host
      const push = webhookExample(
        "push",
        (p) => Boolean(p.installation) && p.ref === "refs/heads/master" && p.commits.length > 0,
      );
      push.commits[0].modified = [".github/gimlet.yml"];
      ghe.serve(push.repository.full_name, { ".github/gimlet.yml": CONFIG }, push.after);
      expect((await deliver(app, "push", push)).status).toBe(200);
      expect(ghe.checkRuns[0]).toMatchObject({ name: "gimlet/config", conclusion: "success" });
      // a signed Flux event: git fetches the gitops repository from the GHE host, with the installation token
      const tip = git(bare, ["rev-parse", "main"]);
      const event = fluxEvent(tip);
      const settled = await api(app, "POST", "/api/flux-events?repository=acme/gitops-staging", {
        body: event.body,
        headers: {
          "x-signature": `sha256=${createHmac("sha256", FLUX_SECRETS["acme/gitops-staging"]).update(event.body).digest("hex")}`,
        },
      });
      expect(settled.status).toBe(200);
      expect(settled.body).toMatchObject({ outcome: "applied", sha: tip, settled: [] });

      // REST and the App's JWT calls went to the GHE host
      // (in any order: the sweep's calls come beside the webhook's)
      // the overdue-release sweep lists installations at start (and again if a sweep comes round): there at least once
      // (its repositories and their deployments, depending on when it ran, are left out of the exact list)
      const sweepCall = (line: string) =>
        line === "GET /app/installations" ||
        line === "GET /installation/repositories" ||
        line === `GET /repos/${push.repository.full_name}/deployments`;
      expect(ghe.lines().filter((line) => line === "GET /app/installations").length).toBeGreaterThanOrEqual(1);
      expect([...ghe.lines()].filter((line) => !sweepCall(line)).sort()).toEqual(
        [
          "GET /repos/acme/gitops-staging", // the gitops repository exists (asked once, before any disk is touched)
          `GET /repos/${push.repository.full_name}/installation`,
          "POST /app/installations/4242/access_tokens",
          `GET /repos/${push.repository.full_name}/contents/.github/gimlet.yml`,
          `GET /repos/${push.repository.owner.login}/.github/contents/.github/gimlet.yml`,
          `GET /repos/${push.repository.full_name}/contents/.gimlet`,
          `POST /repos/${push.repository.full_name}/check-runs`,
          "GET /repos/acme/gitops-staging/installation", // another owner: its installation (the token is cached per installation)
        ].sort(),
      );
      expect(ghe.find("GET", "/repos/acme/gitops-staging/installation")[0]?.auth).toMatch(/^bearer /i); // the App's JWT
      // git too, with the installation token in its header (and nowhere on disk)
      expect(host.requests.map((r) => r.path)).toContain("/acme/gitops-staging.git/info/refs");
      expect(host.requests.every((r) => r.authorization?.startsWith("Basic "))).toBe(true);
      // nothing to github.com: the nock'd api.github.com saw no call (any other host is refused outright)
      expect(dotcom.current.calls).toEqual([]);
      for (const file of readdirSync(workDir, { recursive: true, encoding: "utf8" })) {
        const path = join(workDir, file);
        if (statSync(path).isFile()) expect(readFileSync(path).toString("latin1")).not.toContain(INSTALLATION_TOKEN);
      }
    } finally {
      await running?.stop();
      await host.close();
    }
    // the first log line says the mode and what the server trusts: counts and issuers, never a secret
    const started = logs
      .map((l) => JSON.parse(l.startsWith("stderr") ? "{}" : l))
      .find((l) => /GitHub mode/.test(l.msg));
    expect(started).toMatchObject({
      mode: "github",
      github: `${host.url}/api/v3`,
      git: host.url,
      oidcIssuers: [`github ${oidc.issuer()}`],
      apiTokens: 0,
      fluxSecrets: 1,
      sharedFluxSecret: false,
    });
    const all = logs.join("\n");
    for (const secret of [INSTALLATION_TOKEN, "webhook-secret", FLUX_SECRETS["acme/gitops-staging"], "PRIVATE KEY"])
      expect(all).not.toContain(secret);
  });
});
