/**
 * Artifact lookups against a GitHub that answers like the real one (`node --import tsx bench/lookups.bench.ts`): the
 * stand-in of test/helpers/githubStandIn.ts with 150 ms a call, 1,000 artifacts stored on the artifacts branch (each
 * its own commit, as the app writes them). Each row against a floor measured in the same run: two GitHub round trips
 * one after the other (the least a listing then parallel reads can take). Printed beside: the calls each listing made,
 * and what the listing before this change (one recursive tree of the whole branch) made and transferred.
 */

import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { GitHubForge } from "../app/github/index.js";
import { type ArtifactQuery, artifactCommitMessage, artifactPath, listArtifacts } from "../app/releases/artifacts.js";
import { assignServerFields, parseArtifact, type StoredArtifact } from "../shared/artifact/index.js";
import { artifactsLocation, parseGimletConfigYaml } from "../shared/config/index.js";
import type { Forge } from "../shared/ports.js";
import { FakeGitHub } from "../test/helpers/githubStandIn.js";
import { fakeSha } from "../test/helpers/gitRepos.js";
import { type BenchRow, markdownTable, median } from "./lib.js";

const QUICK = process.argv.includes("--quick");
const RUNS = QUICK ? 3 : 5;
const CALL_MS = 150;
const STORED = 1000;
const NEWEST = 10;

const config = parseGimletConfigYaml(
  readFileSync(join(import.meta.dirname, "..", "examples", "shop", ".github", "gimlet.yml"), "utf8"),
);
const location = artifactsLocation(config);

/** Artifact n: every 10th of a PR from `feature/x`, the rest pushes to main; one commit sha per 4 artifacts. */
function artifact(n: number): StoredArtifact {
  const pr = n % 10 === 0;
  return assignServerFields(
    parseArtifact({
      version: {
        repositoryName: "acme/shop",
        sha: fakeSha(Math.floor(n / 4)),
        branch: pr ? "feature/x" : "main",
        event: pr ? "pr" : "push",
        ...(pr ? { prNumber: 7, targetBranch: "main" } : {}),
      },
      environments: [],
    }),
    new Date(Date.UTC(2026, 0, 1) + n),
    randomBytes,
  );
}

/** The listing as it was before this change (app/releases/artifacts.ts at 6ee8fae), for the reference columns. */
async function listArtifactsBefore(
  forge: Forge,
  _config: typeof config,
  query: ArtifactQuery,
): Promise<StoredArtifact[]> {
  const idOf = (p: string) => p.slice(p.lastIndexOf("/") + 1).replace(/\.json$/, "");
  const prefix = query.sha ? `${query.repository}/${query.sha}/` : `${query.repository}/`;
  const paths = (await forge.listBranchFiles(location, prefix))
    .filter((p) => p.endsWith(".json"))
    .sort((a, b) => idOf(b).localeCompare(idOf(a)));
  const found: StoredArtifact[] = [];
  const maxReads = Math.max(query.limit * 5, 50);
  for (let start = 0; start < Math.min(paths.length, maxReads) && found.length < query.limit; start += query.limit) {
    const read = await Promise.all(
      paths.slice(start, Math.min(start + query.limit, maxReads)).map((p) => forge.getBranchFile(location, p)),
    );
    for (const text of read) {
      const a = JSON.parse(text ?? "{}") as StoredArtifact;
      if (query.branch && a.version.branch !== query.branch) continue;
      if (query.event && a.version.event !== query.event) continue;
      if (found.length < query.limit) found.push(a);
    }
  }
  return found;
}

async function main(): Promise<void> {
  nock.disableNetConnect();
  const gh = new FakeGitHub({ latencyMs: { min: CALL_MS, max: CALL_MS } });
  gh.install();
  const octokit = new ProbotOctokit({
    auth: { token: "ghs_bench" },
    retry: { enabled: false },
    throttle: { enabled: false },
  });
  const forge = new GitHubForge(async () => octokit);
  const stored = Array.from({ length: STORED }, (_, i) => artifact(i + 1));
  for (const a of stored)
    gh.commitFile(
      location.repository,
      location.branch,
      { [artifactPath(a)]: JSON.stringify(a) },
      artifactCommitMessage(a),
    );
  const newestSha = stored.at(-2)?.version.sha ?? ""; // 4 artifacts share it

  const rows: BenchRow[] = [];
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await forge.getBranchFile(location, artifactPath(stored[0] as StoredArtifact));
    await forge.getBranchFile(location, artifactPath(stored[1] as StoredArtifact));
    floor.push(performance.now() - started);
  }
  const cases: Array<[string, Omit<ArtifactQuery, "repository">]> = [
    [`newest ${NEWEST} artifacts with ${STORED} stored`, { limit: NEWEST }],
    [`newest ${NEWEST} of branch feature/x (1 in 10) with ${STORED} stored`, { limit: NEWEST, branch: "feature/x" }],
    [`newest 2 of one sha with ${STORED} stored`, { limit: 2, sha: newestSha }],
  ];
  const table: string[] = [];
  for (const [name, query] of cases) {
    const measure = async (list: typeof listArtifacts) => {
      const times: number[] = [];
      let made = 0;
      let found = 0;
      for (let i = 0; i < RUNS; i++) {
        const from = gh.calls.length;
        const started = performance.now();
        found = (await list(forge, config, { repository: "acme/shop", ...query })).length;
        times.push(performance.now() - started);
        made = gh.calls.length - from;
      }
      return { ms: median(times), made, found };
    };
    const now = await measure(listArtifacts);
    const before = await measure(listArtifactsBefore);
    rows.push({ benchmark: `${name} (${now.found} found)`, gimlet: now.ms, floor: median(floor), target: 1.5 });
    table.push(
      `| ${name} | ${now.made} | ${now.found} | ${before.made} (the first a tree of all ${STORED} files) | ${before.found} | ${before.ms.toFixed(0)} ms |`,
    );
  }

  console.log(markdownTable(rows));
  console.log(`\nGitHub calls per listing (${CALL_MS} ms a call; counted by the stand-in):\n`);
  console.log(
    "| listing | calls now | found now | calls before this change | found before | time before |\n|---|---:|---:|---:|---:|---:|",
  );
  console.log(table.join("\n"));
  console.log(
    `\nBefore this change a listing read one recursive tree of the whole artifacts branch (${STORED} entries here), then files ${NEWEST} at a time until enough matched, at most 50; past 100,000 entries GitHub truncates that tree and it was walked one folder per call (one per sha ever shipped). Now a listing reads one page of the branch's commits under the repository (${NEWEST}+5, or 100 when filtering) or one sha's folder, then only the matching files, in parallel.`,
  );
  nock.cleanAll();
  nock.enableNetConnect();
  if (rows.some((r) => r.target !== undefined && r.gimlet / r.floor > r.target)) process.exitCode = 1;
}

await main();
