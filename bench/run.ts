// `npm run bench`: every benchmark file in turn, each printing its table against floors measured in the same run.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const files = [
  "gitops.bench.ts",
  "release.bench.ts",
  "agent.bench.ts",
  "action.bench.ts",
  "hostile.bench.ts",
  "throttled.bench.ts",
  "lookups.bench.ts",
  "concurrency.bench.ts",
];
const extra = process.argv.slice(2);
let failed = false;
for (const file of files) {
  console.log(`\n## ${file}\n`);
  const result = spawnSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, file), ...extra], {
    stdio: "inherit",
  });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
