/**
 * A separate writer process for the concurrency test: `node --import tsx gitopsWorker.ts <bare> <worker> <count>`.
 * Warms its clone, prints "ready", waits for a line on stdin (so all workers start together), then
 * deploys `<count>` apps named `w<worker>-a<i>` to env "staging", a few at a time, and prints one JSON
 * line with every outcome. Each process has its own writer and warm clone, like replicas of the app.
 */
import { GitopsWriter, type WriteOutcome } from "../../shared/gitops/index.js";

async function main(): Promise<void> {
  const [bare = "", worker, countArg, waveArg] = process.argv.slice(2);
  const count = Number(countArg);
  const wave = Number(waveArg ?? "3");
  const writer = new GitopsWriter({ maxPushAttempts: 30 });
  const outcomes: WriteOutcome[] = [];
  try {
    await writer.readLock({ repo: bare, env: "staging" }); // clone and fetch now, not in the race
    process.stdout.write("ready\n");
    await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
    process.stdin.pause();
    for (let start = 0; start < count; start += wave) {
      const jobs = [];
      for (let i = start; i < Math.min(count, start + wave); i++) {
        const app = `w${worker}-a${i}`;
        jobs.push(
          writer.deploy({
            repo: bare,
            env: "staging",
            app,
            files: [{ path: "deployment.yaml", content: `kind: Deployment\nmetadata:\n  name: ${app}\n` }],
            release: {
              artifactId: `art-${app}`,
              triggeredBy: "worker",
              version: { sha: `${worker}${i}`.padEnd(40, "0") },
            },
            actor: `worker${worker}`,
          }),
        );
      }
      outcomes.push(...(await Promise.all(jobs)));
    }
    process.stdout.write(`${JSON.stringify({ ok: true, outcomes, stats: writer.stats({ repo: bare }) })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: String(error), outcomes })}\n`);
    process.exitCode = 1;
  } finally {
    await writer.close();
  }
}

void main();
