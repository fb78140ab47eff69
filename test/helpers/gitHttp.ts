import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { git, tempDir } from "./gitRepos.js";

export interface GitHttpRequest {
  method: string;
  path: string;
  authorization?: string;
}

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  root: string;
  requests: GitHttpRequest[];
  /** Create `<root>/<owner>/<repo>.git` (bare, pushes over HTTP allowed). */
  createRepo(repository: string): string;
  /** Called once before the next receive-pack (push) is served: e.g. move the branch so the push is rejected. */
  beforeNextPush(hook: () => void): void;
  close(): Promise<void>;
}

/**
 * Git's smart HTTP protocol on loopback (`git http-backend` as CGI), asking for GitHub's Basic scheme
 * (`x-access-token:<token>`): a request without the token is 401, as GitHub answers.
 */
export interface RestStandIn {
  answer(method: string, pathAndQuery: string, body: unknown, auth?: string): [number, Record<string, unknown>];
}

export async function startGitHttp(options: {
  token: string;
  root?: string;
  /** Serve GitHub Enterprise's REST API under `/api/v3` too (one host for REST, JWT calls and git). */
  rest?: RestStandIn;
}): Promise<GitHttpServer> {
  const root = options.root ?? tempDir("gimlet-git-http-");
  const expected = `Basic ${Buffer.from(`x-access-token:${options.token}`).toString("base64")}`;
  const requests: GitHttpRequest[] = [];
  let pushHook: (() => void) | undefined;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const authorization = req.headers.authorization;
    if (options.rest && url.pathname.startsWith("/api/v3/")) {
      const rest = options.rest;
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
        const [status, json] = rest.answer(
          req.method ?? "GET",
          `${url.pathname.slice(7)}${url.search}`,
          body,
          authorization,
        );
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
      });
      return;
    }
    requests.push({ method: req.method ?? "", path: url.pathname, authorization });
    if (authorization !== expected) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="GitHub"' }).end("Unauthorized");
      return;
    }
    if (url.pathname.endsWith("/git-receive-pack") && pushHook) {
      const hook = pushHook;
      pushHook = undefined;
      hook();
    }
    const child = spawn("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH ?? "",
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: "1",
        REQUEST_METHOD: req.method ?? "GET",
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        ...(req.headers["content-encoding"] ? { HTTP_CONTENT_ENCODING: req.headers["content-encoding"] } : {}),
        ...(req.headers["git-protocol"] ? { GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
        REMOTE_USER: "x-access-token",
        REMOTE_ADDR: "127.0.0.1",
      },
    });
    req.pipe(child.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (headersDone) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString("utf8").split("\r\n")) {
        const colon = line.indexOf(":");
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
    });
    child.on("close", () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    root,
    requests,
    createRepo(repository) {
      const bare = join(root, `${repository}.git`);
      mkdirSync(bare, { recursive: true });
      git(bare, ["init", "--bare", "--quiet", "--initial-branch=main"]);
      git(bare, ["config", "http.receivepack", "true"]);
      return bare;
    },
    beforeNextPush(hook) {
      pushHook = hook;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Move `branch` of a bare repo by one empty commit (another writer got there first). */
export function advanceBranch(bare: string, branch = "main"): void {
  const tip = git(bare, ["rev-parse", branch]);
  const tree = git(bare, ["rev-parse", `${tip}^{tree}`]);
  const commit = git(bare, [
    "-c",
    "user.name=other",
    "-c",
    "user.email=o@x",
    "commit-tree",
    tree,
    "-p",
    tip,
    "-m",
    "other",
  ]);
  git(bare, ["update-ref", `refs/heads/${branch}`, commit]);
}

/**
 * A `git` first on PATH that appends its own /proc/<pid>/cmdline to `log`, then runs the real git: every git the
 * code under test spawns is recorded with its argv, exactly as the process list showed it.
 */
export function recordingGit(log: string): string {
  const dir = tempDir("gimlet-git-argv-");
  const real = process.env.GIMLET_REAL_GIT ?? "/usr/bin/git";
  const script = join(dir, "git");
  writeFileSync(
    script,
    `#!/bin/sh\ntr '\\0' ' ' < /proc/$$/cmdline >> '${log}'\necho >> '${log}'\nexec ${real} "$@"\n`,
  );
  chmodSync(script, 0o755);
  writeFileSync(log, "");
  return dir;
}
