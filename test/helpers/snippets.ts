import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { repoRoot } from "./ciEnv.js";

/**
 * Lines of the documentation's `bash` blocks that a test does not run, each with the reason. Everything else in a
 * `bash` block runs, in order, in one shell, as a reader pasting the page would.
 */
export const NOT_RUN: Readonly<Record<string, string>> = {
  "npm ci && npm run demo": "the demo is its own script (scripts/demo.sh); the README test checks the scripts exist",
  "npm ci && npm test": "the test suite can't run itself",
  "git clone https://github.com/acme/gimlet-for-github.git && cd gimlet-for-github":
    "the test works on a copy of this checkout instead of a clone",
  "npm ci": "the copy links this checkout's node_modules",
};

/** The runnable lines of every ```bash block of a Markdown file, comments after `#` kept. */
export function bashSnippet(markdownFile: string): string {
  const text = readFileSync(join(repoRoot, markdownFile), "utf8");
  const blocks = [...text.matchAll(/^```bash\n([\s\S]*?)^```/gm)].map((m) => m[1] ?? "");
  // Join continued lines before deciding what to skip, so a skipped command never leaves its continuation behind.
  const lines = blocks
    .join("")
    .replace(/\\\n\s*/g, "")
    .split("\n");
  return lines.filter((line) => !Object.hasOwn(NOT_RUN, line.replace(/\s+#.*$/, "").trim())).join("\n");
}

/**
 * A copy of this checkout as a fresh clone would have it (tracked and new files, not ignored ones), with
 * node_modules linked and dist/ built from the current source (esbuild, dependencies external), so the snippets
 * run against the code under test even before `npm run build` refreshed the committed bundles.
 */
export function freshCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "gimlet-clone-"));
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], {
    cwd: repoRoot,
    encoding: "utf8",
  })
    .split("\0")
    .filter((file) => file && !file.startsWith("dist/"));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      cpSync(join(repoRoot, file), join(dir, file));
    } catch {
      // a file deleted in the working tree but still tracked: a clone would not have it either
    }
  }
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
  for (const [name, entry] of [
    ["cli", "plugins/cli/run.ts"],
    ["app", "app/run.ts"],
  ] as const) {
    execFileSync(
      join(repoRoot, "node_modules", ".bin", "esbuild"),
      [
        entry,
        "--bundle",
        "--platform=node",
        "--format=esm",
        "--packages=external",
        "--log-level=error",
        `--outfile=dist/${name}/index.js`,
      ],
      { cwd: dir },
    );
  }
  return dir;
}

/** Run a snippet with bash -eo pipefail in `cwd`; anything it left running (a server) is stopped at the end. */
export function runSnippet(
  script: string,
  cwd: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", `set -eo pipefail\n${script}`], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? cwd, ...env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString("utf8");
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const stopGroup = () => {
      try {
        process.kill(-(child.pid as number), "SIGTERM");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(stopGroup, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      stopGroup();
      resolve({ code, output });
    });
  });
}
