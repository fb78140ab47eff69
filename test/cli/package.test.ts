import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { VERSION } from "../../plugins/cli/version.js";
import { type CiApp, circleciJobToken, runProcess, startCiApp } from "../helpers/ciApp.js";
import { loadCiEnv, repoRoot } from "../helpers/ciEnv.js";
import { exampleAppCopy } from "../helpers/cli.js";
import { tempDir } from "../helpers/gitRepos.js";

// The CLI as a CI installs it: `npm pack` of this repository, installed into an empty folder with no network
// (`--offline`: the package has no runtime dependencies, everything is in the bundle), run from node_modules/.bin.
const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  name: string;
  version: string;
  private?: boolean;
  bin: Record<string, string>;
  files: string[];
  dependencies?: Record<string, string>;
};
const npm = (args: string[], cwd: string) =>
  execFileSync("npm", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" },
  });

let app: CiApp;
let installed: string;
let files: string[];

beforeAll(async () => {
  app = await startCiApp();
  const packDir = tempDir("gimlet-pack-");
  const [packed] = JSON.parse(npm(["pack", "--json", "--pack-destination", packDir], repoRoot)) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  files = (packed?.files ?? []).map((f) => f.path).sort();
  installed = tempDir("gimlet-install-");
  writeFileSync(join(installed, "package.json"), '{"name":"ci-job","version":"1.0.0","private":true}\n');
  npm(["install", "--offline", "--no-package-lock", join(packDir, packed?.filename as string)], installed);
});
afterAll(() => app.close());

describe("the published CLI package", () => {
  test("a public package whose tarball holds the CLI bundle only, with no runtime dependencies", () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.bin).toEqual({ gimlet: "dist/cli/index.js" });
    expect(pkg.dependencies ?? {}).toEqual({});
    // the entry, plus the chunks it loads lazily (the renderer, node:http's client): whatever ncc split off
    const chunks = readdirSync(join(repoRoot, "dist", "cli"))
      .filter((f) => /^\d+\.index\.js$/.test(f))
      .map((f) => `dist/cli/${f}`);
    expect(files).toEqual(
      [
        "README.md",
        ...chunks,
        "dist/cli/index.js",
        "dist/cli/licenses.txt",
        "dist/cli/package.json",
        "package.json",
      ].sort(),
    );
    expect(VERSION).toBe(pkg.version);
  });

  test("the orb and the GitLab component pin this version of the CLI", () => {
    const orb = readFileSync(join(repoRoot, "plugins", "circleci", "src", "commands", "ship.yml"), "utf8");
    expect(/cli-version:\n(?:\s+\w+: .*\n)*?\s+default: (\S+)/.exec(orb)?.[1]).toBe(pkg.version);
    const gitlab = readFileSync(join(repoRoot, "plugins", "gitlab", "templates", "gimlet.yml"), "utf8");
    expect(/cli-version:\n(?:\s+\w+: .*\n)*?\s+default: (\S+)/.exec(gitlab)?.[1]).toBe(pkg.version);
  });

  test("installed offline into an empty folder: gimlet --version", async () => {
    const bin = join(installed, "node_modules", ".bin", "gimlet");
    expect(existsSync(bin)).toBe(true);
    const result = await runProcess(bin, ["--version"], { cwd: installed, env: { PATH: process.env.PATH ?? "" } });
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    // a command whose code is in a lazily loaded chunk runs from the installed package too
    const lint = await runProcess(bin, ["manifest", "lint", "-f", ".gimlet/staging.yaml"], {
      cwd: exampleAppCopy(),
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(lint).toMatchObject({ code: 0 });
  });

  test("installed offline: ships a CircleCI build's artifact to the app with the job's OIDC token", async () => {
    const { env } = loadCiEnv("circleci-branch");
    const result = await runProcess(
      join(installed, "node_modules", ".bin", "gimlet"),
      ["ship", "--server", app.url, "--var", "IMAGE_TAG=5f2b3c4", "-o", "json"],
      {
        cwd: exampleAppCopy(),
        env: {
          PATH: process.env.PATH ?? "",
          ...env,
          GIMLET_TOKEN: "",
          CIRCLE_OIDC_TOKEN_V2: await circleciJobToken(app, { repository: "acme/shop", event: "push", branch: "main" }),
        },
      },
    );
    expect(result).toMatchObject({ code: 0 });
    const shipped = JSON.parse(result.stdout) as {
      id: string;
      decisions: Array<{ env: string; app: string; deploy: boolean }>;
    };
    expect(shipped.id).toMatch(/^acme-shop-[0-9A-Z]{26}-[0-9a-f]{40}$/);
    expect(shipped.decisions.filter((d) => d.deploy).map((d) => `${d.env}/${d.app}`)).toEqual([
      "staging/shop",
      "staging/shop-worker",
    ]);
  });
});
