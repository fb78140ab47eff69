import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { pino } from "pino";
import type { Manifest } from "../../shared/manifest/index.js";
import {
  actionsToken,
  api,
  exampleArtifact,
  INSTALLATION_TOKEN,
  SHA2,
  useApps,
  useFakeGitHub,
} from "../helpers/appHarness.js";
import { advanceBranch, type GitHttpServer, recordingGit, startGitHttp } from "../helpers/gitHttp.js";
import { git, tempDir } from "../helpers/gitRepos.js";

const gh = useFakeGitHub();
const apps = useApps();

const GITOPS = "acme/gitops-staging";
const CONFIG = `environments:\n  staging: { repository: ${GITOPS}, path: staging }\n`;
const manifest = {
  app: "shop",
  env: "staging",
  namespace: "shop",
  deploy: { event: "push", branch: "main" },
  values: { image: { repository: "ghcr.io/acme/shop", tag: "{{ .SHA }}" } },
} as Manifest;

describe("attack: installation tokens on disk and in argv, through the app", () => {
  let host: GitHttpServer;
  const argvLog = join(tempDir("gimlet-argv-"), "argv.log");
  const originalPath = process.env.PATH;
  beforeAll(async () => {
    host = await startGitHttp({ token: INSTALLATION_TOKEN });
    process.env.PATH = `${recordingGit(argvLog)}:${originalPath}`;
  });
  afterAll(async () => {
    process.env.PATH = originalPath;
    await host.close();
  });

  test("policy deploys, a rejected and retried push, a rollback: no token in the work dir, git's argv or a log line", async () => {
    const lines: string[] = [];
    const log = pino(
      { level: "debug" },
      new Writable({
        write(chunk, _e, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const bare = host.createRepo(GITOPS);
    const app = await apps.start({ gitBaseUrl: host.url, log });
    gh.current.serve("acme/shop", { ".github/gimlet.yml": CONFIG });
    const token = await actionsToken(apps.oidc());
    const ship = async (sha?: string) => {
      const response = await api(app, "POST", "/api/artifacts", {
        token,
        body: exampleArtifact({ manifests: [manifest], ...(sha ? { sha } : {}) }),
      });
      expect(response.body.decisions[0]).toMatchObject({ deploy: true });
      await app.waitIdle();
    };
    await ship();
    host.beforeNextPush(() => advanceBranch(bare)); // another replica wins the race: our push is rejected, then retried
    await ship(SHA2);
    expect(app.services.deps.writer.stats({ repo: GITOPS }).rejectedPushes).toBe(1);
    const rollback = await api(app, "POST", "/api/rollbacks", { token, body: { env: "staging", app: "shop" } });
    expect(rollback.status).toBe(202);
    await app.waitIdle();
    expect(git(bare, ["log", "--format=%s", "main"]).split("\n")).toEqual([
      expect.stringMatching(/^\[gimlet\] staging\/shop rollback to [0-9a-f]{7} by /),
      `[gimlet] staging/shop deploy ${SHA2.slice(0, 7)} by policy`,
      "other",
      expect.stringMatching(/^\[gimlet\] staging\/shop deploy [0-9a-f]{7} by policy$/),
    ]);
    // every git request carried the installation token: it did reach git, through the environment
    expect(host.requests.some((r) => r.path.endsWith("/git-receive-pack"))).toBe(true);
    expect(host.requests.every((r) => r.authorization?.startsWith("Basic "))).toBe(true);

    const secrets = [INSTALLATION_TOKEN, Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString("base64")];
    const leaks = (text: string) => secrets.some((s) => text.includes(s));
    const workDir = dirname(app.services.deps.writer.clonePath({ repo: GITOPS }));
    const files = readdirSync(workDir, { recursive: true, encoding: "utf8" })
      .map((f) => join(workDir, f))
      .filter((f) => statSync(f).isFile());
    expect(files.length).toBeGreaterThan(5);
    expect(files.filter((f) => leaks(readFileSync(f).toString("latin1")))).toEqual([]);
    const argv = readFileSync(argvLog, "utf8").trim().split("\n");
    expect(argv.filter((l) => / push /.test(l)).length).toBeGreaterThanOrEqual(3);
    expect(argv.filter(leaks)).toEqual([]);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter(leaks)).toEqual([]);
  });
});
