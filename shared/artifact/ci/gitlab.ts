import { ConfigError } from "../../errors.js";
import { type CiEnv, type CiFacts, required, splitAuthor, value } from "./types.js";

const allowedVariables = [
  "CI_COMMIT_SHA",
  "CI_COMMIT_SHORT_SHA",
  "CI_COMMIT_BRANCH",
  "CI_COMMIT_TAG",
  "CI_COMMIT_REF_NAME",
  "CI_COMMIT_REF_SLUG",
  "CI_DEFAULT_BRANCH",
  "CI_JOB_ID",
  "CI_JOB_NAME",
  "CI_JOB_URL",
  "CI_PIPELINE_ID",
  "CI_PIPELINE_SOURCE",
  "CI_PIPELINE_URL",
  "CI_PROJECT_ID",
  "CI_PROJECT_NAME",
  "CI_PROJECT_NAMESPACE",
  "CI_PROJECT_PATH",
  "CI_PROJECT_URL",
  "CI_SERVER_URL",
  "CI_MERGE_REQUEST_IID",
  "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
  "CI_MERGE_REQUEST_TARGET_BRANCH_NAME",
  "GITLAB_USER_LOGIN",
] as const;

/**
 * GitLab CI. CI_COMMIT_BRANCH is only set in branch pipelines; merge request pipelines carry CI_MERGE_REQUEST_*.
 * In merged-results pipelines CI_COMMIT_SHA is the merge commit, so the MR head comes from CI_MERGE_REQUEST_SOURCE_BRANCH_SHA.
 */
export function gitlabFacts(env: CiEnv): CiFacts {
  const missing: string[] = [];
  const repositoryName = required(env, "CI_PROJECT_PATH", missing);
  const commitSha = required(env, "CI_COMMIT_SHA", missing);
  if (missing.length)
    throw ConfigError.of(missing.map((name) => ({ path: name, message: "not set; is this a GitLab CI job?" })));
  const tag = value(env, "CI_COMMIT_TAG");
  const mrIid = value(env, "CI_MERGE_REQUEST_IID");
  const sourceBranch = value(env, "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME");
  const sha = (mrIid && value(env, "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA")) || commitSha;
  const author = splitAuthor(value(env, "CI_COMMIT_AUTHOR"));
  const projectUrl = value(env, "CI_PROJECT_URL");
  return {
    provider: "gitlab",
    repositoryName,
    sha,
    event: tag ? "tag" : mrIid ? "pr" : "push",
    branch: tag
      ? undefined
      : mrIid
        ? sourceBranch
        : (value(env, "CI_COMMIT_BRANCH") ?? value(env, "CI_COMMIT_REF_NAME")),
    sourceBranch: mrIid ? sourceBranch : undefined,
    targetBranch: mrIid ? value(env, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME") : undefined,
    tag,
    prNumber: mrIid ? Number(mrIid) : undefined,
    message: value(env, "CI_COMMIT_MESSAGE"),
    authorName: author.name,
    authorEmail: author.email,
    created: value(env, "CI_COMMIT_TIMESTAMP"),
    url: projectUrl ? `${projectUrl}/-/commit/${sha}` : undefined,
    actor: value(env, "GITLAB_USER_LOGIN"),
    job: value(env, "CI_JOB_NAME"),
    buildUrl: value(env, "CI_JOB_URL"),
    allowedVariables,
  };
}
