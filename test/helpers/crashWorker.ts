/**
 * A writer process to kill: `node --import tsx crashWorker.ts <bare> <workDir> <app>` deploys one app to env
 * "staging" of `<bare>` with its warm clone in `<workDir>`, then prints "done". The crash-recovery test runs it with
 * a `git` on PATH that stalls in fast-import or push (see crashRecovery.test.ts) and SIGKILLs it there.
 */
import { GitopsWriter } from "../../shared/gitops/index.js";

const [bare, workDir, app] = process.argv.slice(2) as [string, string, string];
const writer = new GitopsWriter({ workDir });
await writer.deploy({
  repo: bare,
  env: "staging",
  app,
  files: [{ path: "deployment.yaml", content: `kind: Deployment\nmetadata:\n  name: ${app}\n` }],
  release: { artifactId: `art-${app}`, triggeredBy: "worker", version: { sha: "1".repeat(40) } },
});
process.stdout.write("done\n");
await writer.close();
