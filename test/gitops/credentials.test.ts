import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { GitHubGitopsRemote } from "../../app/github/index.js";
import type { OctokitLike } from "../../app/github/octokit.js";
import { type DeployRequest, GitopsWriter } from "../../shared/gitops/index.js";
import type { Logger } from "../../shared/ports.js";
import { advanceBranch, type GitHttpServer, recordingGit, startGitHttp } from "../helpers/gitHttp.js";
import { git, tempDir } from "../helpers/gitRepos.js";

const TOKEN = "ghs_SecretInstallationToken0123456789";
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString("base64");
const REPO = "acme/gitops";

/** Every file under `dir` (the warm clones: config, refs, packs, logs) as bytes. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((p) => join(dir, p))
    .filter((p) => statSync(p).isFile());
}

/** Sample every process's /proc/<pid>/cmdline while `work` runs (git children and their remote helpers). */
async function watchProcessList<T>(work: () => Promise<T>): Promise<{ result: T; seen: string[] }> {
  const seen = new Set<string>();
  let running = true;
  const sample = () => {
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
        if (/\bgit\b|git-remote/.test(cmdline)) seen.add(cmdline);
      } catch {
        // the process ended
      }
    }
  };
  const loop = (async () => {
    while (running) {
      sample();
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  try {
    return { result: await work(), seen: [...seen] };
  } finally {
    running = false;
    await loop;
  }
}

function deployOf(app: string, sha: string): DeployRequest {
  return {
    repo: REPO,
    env: "staging",
    app,
    files: [{ path: "deployment.yaml", content: `# ${app} ${sha}\nkind: Deployment\n` }],
    release: { artifactId: `${app}-${sha}`, triggeredBy: "ci", version: { sha: sha.padEnd(40, "0") } },
  };
}

describe("no credential at rest or in argv", () => {
  let server: GitHttpServer;
  let bare: string;
  const argvLog = join(tempDir("gimlet-argv-"), "argv.log");
  const originalPath = process.env.PATH;
  beforeAll(async () => {
    server = await startGitHttp({ token: TOKEN });
    bare = server.createRepo(REPO);
    process.env.PATH = `${recordingGit(argvLog)}:${originalPath}`;
  });
  afterAll(async () => {
    process.env.PATH = originalPath;
    await server.close();
  });

  test("deploys, a push retry and a rollback over HTTP: the token is in no file, argv or log line", async () => {
    const octokit = { auth: async () => ({ token: TOKEN }) } as unknown as OctokitLike;
    const remote = new GitHubGitopsRemote(async () => octokit, { gitBaseUrl: server.url });
    const lines: string[] = [];
    const log = (level: string) => (obj: object, msg?: string) =>
      void lines.push(`${level} ${JSON.stringify(obj)} ${msg ?? ""}`);
    const logger: Logger = { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
    const workDir = tempDir("gimlet-work-");
    const writer = new GitopsWriter({
      workDir,
      logger,
      resolveUrl: (repo) => remote.cloneUrl(repo),
      resolveEnv: (repo) => remote.gitEnv(repo),
    });
    const { seen } = await watchProcessList(async () => {
      expect((await writer.deploy(deployOf("web", "1111111"))).decision).toBe("committed");
      expect((await writer.deploy(deployOf("api", "aaaaaaa"))).decision).toBe("committed");
      // another replica moves the branch right before our next push: rejected, refetched, re-applied, pushed
      server.beforeNextPush(() => advanceBranch(bare));
      expect((await writer.deploy(deployOf("web", "2222222"))).decision).toBe("committed");
      expect(writer.stats({ repo: REPO }).rejectedPushes).toBe(1);
      const rolled = await writer.rollback({ repo: REPO, env: "staging", app: "web", actor: "alice" });
      expect(rolled.decision).toBe("committed");
    });
    await writer.close();
    expect(git(bare, ["log", "--format=%s", "main"]).split("\n")).toEqual([
      expect.stringMatching(/^\[gimlet\] staging\/web rollback to [0-9a-f]{7} by alice$/),
      "[gimlet] staging/web deploy 2222222 by policy",
      "other",
      "[gimlet] staging/api deploy aaaaaaa by policy",
      "[gimlet] staging/web deploy 1111111 by policy",
    ]);

    // git reached the server with the token: every request that got through carried it
    expect(server.requests.some((r) => r.path.endsWith("/git-receive-pack"))).toBe(true);
    expect(server.requests.every((r) => r.authorization === `Basic ${BASIC}`)).toBe(true);

    const secrets = [TOKEN, BASIC];
    const leaks = (text: string) => secrets.some((s) => text.includes(s));
    // at rest: nothing under the work dir (.git/config, FETCH_HEAD, packs, logs)
    const files = filesUnder(workDir);
    expect(files.some((f) => f.endsWith("/config"))).toBe(true);
    expect(files.filter((f) => leaks(readFileSync(f).toString("latin1")))).toEqual([]);
    expect(git(join(workDir, readdirSync(workDir)[0] as string), ["config", "--get", "remote.origin.url"])).toBe(
      `${server.url}/acme/gitops.git`,
    );
    // argv: every git the writer spawned, as /proc/<pid>/cmdline showed it, and whatever the sampler caught
    const argv = readFileSync(argvLog, "utf8").trim().split("\n");
    expect(argv.some((l) => / push /.test(l))).toBe(true);
    expect(argv.some((l) => / fetch /.test(l))).toBe(true);
    expect(argv.filter(leaks)).toEqual([]);
    expect(seen.filter(leaks)).toEqual([]);
    // log lines
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter(leaks)).toEqual([]);
  });

  test("without the token the server refuses, and the error names no credential", async () => {
    const writer = new GitopsWriter({
      workDir: tempDir("gimlet-work-"),
      resolveUrl: () => `${server.url}/${REPO}.git`,
    });
    const error = await writer.deploy(deployOf("web", "3333333")).catch((e: Error) => e);
    await writer.close();
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).not.toContain(TOKEN);
  });
});
