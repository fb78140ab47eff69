import { generateKeyPairSync } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { runServer } from "../../app/runner.js";
import {
  actionsToken,
  api,
  exampleArtifact,
  FakeGitHub,
  INSTALLATION_TOKEN,
  useFakeGitHub,
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

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

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

  test("an artifact released through the app: every request goes to GHE_HOST, none to github.com; the log says what it trusts", async () => {
    ghe = new FakeGitHub();
    host = await startGitHttp({ token: INSTALLATION_TOKEN, rest: ghe });
    const bare = host.createRepo("acme/gitops-staging");
    ghe.serve("acme/shop", { ".github/gimlet.yml": CONFIG });
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
      const shipped = await api(app, "POST", "/api/artifacts", {
        token: await actionsToken(oidc),
        body: exampleArtifact({
          manifests: [
            {
              app: "shop",
              env: "staging",
              namespace: "shop",
              deploy: { event: "push", branch: "main" },
              values: { image: { repository: "ghcr.io/acme/shop", tag: "{{ .SHA }}" } },
            } as never,
          ],
        }),
      });
      expect(shipped.status).toBe(201);
      expect(shipped.body.decisions[0]).toMatchObject({ env: "staging", deploy: true });
      await until(() => git(bare, ["for-each-ref", "refs/heads/main"]) !== "", "the gitops push");
      expect(git(bare, ["log", "-1", "--format=%s", "main"])).toMatch(/^\[gimlet\] staging\/shop deploy/);

      // REST and the App's JWT calls went to the GHE host
      const rest = ghe.lines();
      expect(rest).toEqual(
        expect.arrayContaining([
          "GET /repos/acme/shop/installation",
          "POST /app/installations/4242/access_tokens",
          "GET /repos/acme/shop/contents/.github/gimlet.yml",
          "POST /repos/acme/shop/deployments",
        ]),
      );
      expect(ghe.find("GET", "/repos/acme/shop/installation")[0]?.auth).toMatch(/^bearer /i); // the App's JWT
      // git too, with the installation token in its header (and nowhere on disk)
      expect(host.requests.map((r) => r.path)).toEqual(
        expect.arrayContaining(["/acme/gitops-staging.git/info/refs", "/acme/gitops-staging.git/git-receive-pack"]),
      );
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
