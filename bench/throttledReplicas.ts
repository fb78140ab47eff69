/**
 * The throttled bench's replica row (bench/throttled.bench.ts): 100 artifacts of one installation at once, spread over
 * 4 replicas that share one throttle, as REDIS_URL makes them.
 */

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import Bottleneck from "bottleneck";
import nock from "nock";
import { pino } from "pino";
import { ProbotOctokit } from "probot";
import { ApiTokenStore } from "../app/auth/index.js";
import { buildServices } from "../app/buildServices.js";
import { GitHubForge } from "../app/github/index.js";
import { createRouter } from "../app/http/router.js";
import { LocalGitopsRemote } from "../app/local/remote.js";
import { apiRoutes } from "../app/routes/index.js";
import { FakeGitHub } from "../test/helpers/githubStandIn.js";
import { git, listTree, subjects, tempDir } from "../test/helpers/gitRepos.js";

const REPLICAS = 4;
const REPLICA_BURST = 100;
const REPLICA_SPACING_MS = 50;

/**
 * 100 artifacts at once across 4 replicas of one installation, the throttle shared (what REDIS_URL gives) and scaled
 * to one write per 50 ms so the drain fits a bench run; the stand-in refuses any write its limiter did not let through.
 */
export async function replicas(setup: {
  callMs: number;
  configText: string;
  artifactFor: (i: number, app: string) => unknown;
  cleanups: Array<() => unknown>;
}): Promise<string[]> {
  const { callMs: CALL_MS, configText, artifactFor, cleanups } = setup;
  nock.cleanAll();
  const gh = new FakeGitHub({ latencyMs: { min: CALL_MS, max: CALL_MS }, writeSpacingMs: REPLICA_SPACING_MS });
  gh.limiterVisible = true;
  gh.install();
  gh.serve("acme/shop", { ".github/gimlet.yml": configText });
  const write = new Bottleneck.Group({ id: "octokit-write", maxConcurrent: 1, minTime: REPLICA_SPACING_MS });
  write.on("created", (limiter: Bottleneck) => limiter.on("executing", () => void gh.throttledWrites++));
  const root = tempDir("gimlet-bench-replicas-");
  const log = pino({ level: "silent" });
  const { token, record } = ApiTokenStore.generate({ name: "bench", repositories: ["acme/*"] });
  const servers = await Promise.all(
    Array.from({ length: REPLICAS }, async (_, r) => {
      const octokit = new ProbotOctokit({
        auth: { token: "ghs_bench" },
        retry: { enabled: false },
        throttle: { write },
      });
      const services = buildServices({
        forge: new GitHubForge(async () => octokit),
        remote: new LocalGitopsRemote({ root }),
        auth: { tokens: new ApiTokenStore([record]) },
        log,
        workDir: join(root, `work-${r}`),
      });
      cleanups.push(() => services.deps.writer.close());
      const router = createRouter(apiRoutes(services), { log });
      const server = createServer((req, res) => void router(req, res));
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
      cleanups.push(() => server.close());
      return { services, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    }),
  );
  const started = performance.now();
  const responses = await Promise.all(
    Array.from({ length: REPLICA_BURST }, async (_, k) => {
      const replica = servers[k % REPLICAS];
      if (!replica) throw new Error("no replica");
      const response = await fetch(`${replica.url}/api/artifacts`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(artifactFor(1000 + k, `svc-${k + 1}`)),
      });
      return {
        status: response.status,
        body: (await response.json()) as { decisions: Array<{ trackingId?: string }> },
      };
    }),
  );
  const answered = performance.now() - started;
  const bare = join(root, "gitops", "acme", "gitops-staging.git");
  const commits = () => Number(git(bare, ["rev-list", "--count", "main"]));
  const settled = () => servers.every(({ services }) => services.inflight.size === 0);
  // every release pushed, or (a failure) every release ended without all pushed: then the problems below say so
  while (commits() < REPLICA_BURST && !settled()) await new Promise((r) => setTimeout(r, 20));
  const pushed = performance.now() - started;
  for (const { services } of servers) while (services.inflight.size) await Promise.all([...services.inflight]);
  const drained = performance.now() - started;
  const problems: string[] = [];
  if (responses.some((r) => r.status !== 201)) problems.push("an artifact was refused");
  if (listTree(bare, "main", "staging").length !== REPLICA_BURST) problems.push("folders lost");
  const deploySubjects = subjects(bare).filter((x) => x.startsWith("[gimlet] staging/"));
  if (new Set(deploySubjects).size !== REPLICA_BURST || deploySubjects.length !== REPLICA_BURST)
    problems.push("commits lost or doubled");
  const tracking = new Set([...gh.deployments.values()].map((d) => (d.payload as { trackingId: string }).trackingId));
  const answeredIds = new Set(responses.flatMap((r) => r.body.decisions.map((d) => d.trackingId).filter(Boolean)));
  if (gh.deployments.size !== REPLICA_BURST || tracking.size !== REPLICA_BURST)
    problems.push("deployments lost or doubled");
  if ([...answeredIds].some((id) => !tracking.has(id as string))) problems.push("a tracking id without its deployment");
  if (gh.violations.length) problems.push(`${gh.violations.length} writes faster than the throttle`);
  if (problems.length) process.exitCode = 1;
  return [
    `${REPLICA_BURST} artifacts at once across ${REPLICAS} replicas (one installation, throttle shared and scaled to one write per ${REPLICA_SPACING_MS} ms, ${CALL_MS} ms a call):`,
    `  all answered 201 after ${(answered / 1000).toFixed(2)} s; all ${REPLICA_BURST} gitops commits pushed after ${(pushed / 1000).toFixed(2)} s; ${gh.count("write")} GitHub writes drained after ${(drained / 1000).toFixed(1)} s`,
    `  ${problems.length ? `PROBLEMS: ${problems.join(", ")}` : `${REPLICA_BURST} folders, ${REPLICA_BURST} commits, ${REPLICA_BURST} deployments (one per tracking id answered): nothing lost or duplicated; 0 writes refused`}`,
  ];
}
