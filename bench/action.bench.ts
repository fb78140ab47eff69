/**
 * CI plugin benchmarks (`node --import tsx bench/action.bench.ts`), run from the built bundles (`npm run build`):
 * - the Action's cold start: `node dist/deploy/index.js` with `dry-run: true` in a GitHub Actions push environment
 *   (reads inputs and the event payload, loads .gimlet/*.yaml, builds and validates the artifact, prints it, writes its
 *   output to GITHUB_OUTPUT as on a runner) vs bare
 *   `node -e 0`, target ≤ 2×
 * - the CLI's cold start (`gimlet --version`, and `gimlet ship --dry-run`) vs the same floor, for reference
 * - bundle sizes (raw and gzip)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { loadCiEnv } from "../test/helpers/ciEnv.js";
import { exampleAppCopy } from "../test/helpers/cli.js";
import { type BenchRow, markdownTable, run, timePair } from "./lib.js";

const RUNS = process.argv.includes("--quick") ? 7 : 21;
const root = join(import.meta.dirname, "..");
const bundles = ["deploy", "cli", "app"].map((name) => ({ name, file: join(root, "dist", name, "index.js") }));

async function main(): Promise<void> {
  const missing = bundles.filter((b) => !existsSync(b.file)).map((b) => b.file);
  if (missing.length) {
    console.error(`missing ${missing.join(", ")}: run \`npm run build\` first`);
    process.exitCode = 1;
    return;
  }
  const { env: ciEnv } = loadCiEnv("github-push");
  const cwd = exampleAppCopy();
  // as a runner sets it up: the output and summary files exist (the Action writes its `decisions` output)
  const files = mkdtempSync(join(tmpdir(), "gimlet-bench-runner-"));
  const [output, summary] = [join(files, "output"), join(files, "summary")];
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const env = {
    PATH: process.env.PATH ?? "",
    ...ciEnv,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    "INPUT_DRY-RUN": "true",
  };
  const node = process.execPath;
  const bare = () => run(node, ["-e", "0"], cwd, env);
  const rows: BenchRow[] = [];

  const [action, floor] = await timePair(
    () => run(node, [join(root, "dist/deploy/index.js")], cwd, env),
    bare,
    RUNS,
    2,
  );
  rows.push({
    benchmark: "Action cold start, dry-run (node dist/deploy/index.js) vs node -e 0",
    gimlet: action,
    floor,
    target: 2,
  });
  const [version, floor2] = await timePair(
    () => run(node, [join(root, "dist/cli/index.js"), "--version"], cwd, env),
    bare,
    RUNS,
    2,
  );
  rows.push({ benchmark: "CLI cold start (gimlet --version) vs node -e 0", gimlet: version, floor: floor2 });
  const [ship, floor3] = await timePair(
    () => run(node, [join(root, "dist/cli/index.js"), "ship", "--dry-run"], cwd, env),
    bare,
    RUNS,
    2,
  );
  rows.push({ benchmark: "CLI ship --dry-run vs node -e 0", gimlet: ship, floor: floor3 });
  console.log(markdownTable(rows));

  // the entry is what every start parses; the chunks are loaded when a step ships or a command needs them
  console.log("\n| bundle | size | gzip | lazily loaded chunks |\n|---|---:|---:|---:|");
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  for (const bundle of bundles) {
    const size = statSync(bundle.file).size;
    const gz = gzipSync(readFileSync(bundle.file)).length;
    // ncc's chunks are N.index.js; the Action's (scripts/build-action.mjs) are *.cjs
    const chunks = readdirSync(dirname(bundle.file)).filter((f) => /^\d+\.index\.js$|\.cjs$/.test(f));
    const chunkBytes = chunks.reduce((sum, f) => sum + statSync(join(dirname(bundle.file), f)).size, 0);
    console.log(
      `| dist/${bundle.name}/index.js | ${kib(size)} | ${kib(gz)} | ${chunks.length ? `${kib(chunkBytes)} in ${chunks.length}` : "—"} |`,
    );
  }
  console.log(`\n(median of ${RUNS} runs, floors interleaved)`);
}

await main();
