import { ConfigError } from "../../errors.js";
import { type CiEnv, type CiFacts, required, value } from "./types.js";

const allowedVariables = [
  "GITHUB_REPOSITORY",
  "GITHUB_REPOSITORY_OWNER",
  "GITHUB_SHA",
  "GITHUB_REF",
  "GITHUB_REF_NAME",
  "GITHUB_REF_TYPE",
  "GITHUB_HEAD_REF",
  "GITHUB_BASE_REF",
  "GITHUB_EVENT_NAME",
  "GITHUB_ACTOR",
  "GITHUB_JOB",
  "GITHUB_WORKFLOW",
  "GITHUB_RUN_ID",
  "GITHUB_RUN_NUMBER",
  "GITHUB_RUN_ATTEMPT",
  "GITHUB_SERVER_URL",
  "RUNNER_OS",
] as const;

type Payload = {
  number?: number;
  pull_request?: { number?: number; head?: { sha?: string; ref?: string }; base?: { ref?: string }; title?: string };
  head_commit?: {
    message?: string;
    timestamp?: string;
    url?: string;
    author?: { name?: string; email?: string };
    committer?: { name?: string; email?: string };
  };
};

/**
 * GitHub Actions. The event payload (GITHUB_EVENT_PATH) is needed for PRs: GITHUB_SHA of a pull_request run is the
 * merge commit, the head sha and PR number are only in the payload.
 */
export function githubFacts(env: CiEnv, eventPayload: unknown): CiFacts {
  const missing: string[] = [];
  const repositoryName = required(env, "GITHUB_REPOSITORY", missing);
  const eventName = required(env, "GITHUB_EVENT_NAME", missing);
  const payload = (eventPayload ?? {}) as Payload;
  const serverUrl = value(env, "GITHUB_SERVER_URL") ?? "https://github.com";
  const runId = value(env, "GITHUB_RUN_ID");
  const isPr = eventName === "pull_request" || eventName === "pull_request_target";
  const base = {
    provider: "github" as const,
    repositoryName,
    actor: value(env, "GITHUB_ACTOR"),
    job: value(env, "GITHUB_JOB"),
    buildUrl: runId ? `${serverUrl}/${repositoryName}/actions/runs/${runId}` : undefined,
    allowedVariables,
  };
  let facts: CiFacts;
  if (isPr) {
    const pr = payload.pull_request;
    if (!pr?.head?.sha)
      throw ConfigError.at(
        "GITHUB_EVENT_PATH",
        "a pull_request run needs the event payload (pull_request.head.sha) to know the PR head commit",
      );
    const sha = pr.head.sha;
    facts = {
      ...base,
      sha,
      event: "pr",
      branch: value(env, "GITHUB_HEAD_REF") ?? pr.head.ref,
      sourceBranch: value(env, "GITHUB_HEAD_REF") ?? pr.head.ref,
      targetBranch: value(env, "GITHUB_BASE_REF") ?? pr.base?.ref,
      prNumber: pr.number ?? payload.number,
      url: `${serverUrl}/${repositoryName}/commit/${sha}`,
    };
  } else {
    const sha = required(env, "GITHUB_SHA", missing);
    const refName = value(env, "GITHUB_REF_NAME");
    const isTag =
      value(env, "GITHUB_REF_TYPE") === "tag" || value(env, "GITHUB_REF")?.startsWith("refs/tags/") === true;
    const commit = payload.head_commit;
    facts = {
      ...base,
      sha,
      event: isTag ? "tag" : "push",
      branch: isTag ? undefined : refName,
      tag: isTag ? refName : undefined,
      message: commit?.message,
      authorName: commit?.author?.name,
      authorEmail: commit?.author?.email,
      committerName: commit?.committer?.name,
      committerEmail: commit?.committer?.email,
      created: commit?.timestamp,
      url: commit?.url ?? `${serverUrl}/${repositoryName}/commit/${sha}`,
    };
  }
  if (missing.length)
    throw ConfigError.of(missing.map((name) => ({ path: name, message: "not set; is this a GitHub Actions run?" })));
  return facts;
}
