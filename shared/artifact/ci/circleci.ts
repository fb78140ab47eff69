import { ConfigError } from "../../errors.js";
import { type CiEnv, type CiFacts, required, value } from "./types.js";

const allowedVariables = [
  "CIRCLE_BRANCH",
  "CIRCLE_TAG",
  "CIRCLE_SHA1",
  "CIRCLE_PULL_REQUEST",
  "CIRCLE_BUILD_NUM",
  "CIRCLE_BUILD_URL",
  "CIRCLE_JOB",
  "CIRCLE_PROJECT_USERNAME",
  "CIRCLE_PROJECT_REPONAME",
  "CIRCLE_USERNAME",
  "CIRCLE_WORKFLOW_ID",
] as const;

/** `git@github.com:acme/shop.git` or `https://github.com/acme/shop` → `https://github.com/acme/shop`. */
function webUrl(repositoryUrl: string | undefined): string | undefined {
  if (!repositoryUrl) return undefined;
  const ssh = /^git@([^:]+):(.+?)(\.git)?$/.exec(repositoryUrl);
  if (ssh) return `https://${ssh[1]}/${ssh[2]}`;
  return repositoryUrl.replace(/\.git$/, "");
}

/** CircleCI. It gives no PR base branch; CIRCLE_PULL_REQUEST is the PR URL, whose last segment is the number. */
export function circleciFacts(env: CiEnv): CiFacts {
  const missing: string[] = [];
  const owner = required(env, "CIRCLE_PROJECT_USERNAME", missing);
  const repo = required(env, "CIRCLE_PROJECT_REPONAME", missing);
  const sha = required(env, "CIRCLE_SHA1", missing);
  if (missing.length)
    throw ConfigError.of(missing.map((name) => ({ path: name, message: "not set; is this a CircleCI job?" })));
  const tag = value(env, "CIRCLE_TAG");
  const prUrl = value(env, "CIRCLE_PULL_REQUEST");
  const prNumber = prUrl ? Number(/\/(\d+)\/?$/.exec(prUrl)?.[1]) || undefined : undefined;
  const branch = value(env, "CIRCLE_BRANCH");
  const web = webUrl(value(env, "CIRCLE_REPOSITORY_URL"));
  return {
    provider: "circleci",
    repositoryName: `${owner}/${repo}`,
    sha,
    event: tag ? "tag" : prNumber ? "pr" : "push",
    branch: tag ? undefined : branch,
    sourceBranch: prNumber ? branch : undefined,
    tag,
    prNumber,
    url: web ? `${web}/commit/${sha}` : undefined,
    actor: value(env, "CIRCLE_USERNAME"),
    job: value(env, "CIRCLE_JOB"),
    buildUrl: value(env, "CIRCLE_BUILD_URL"),
    allowedVariables,
  };
}
