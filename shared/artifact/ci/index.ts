import { ConfigError } from "../../errors.js";
import type { ArtifactInput } from "../schema.js";
import { secretKind } from "../secrets.js";
import { circleciFacts } from "./circleci.js";
import { githubFacts } from "./github.js";
import { gitlabFacts } from "./gitlab.js";
import { type CiEnv, type CiFacts, type CiProvider, value } from "./types.js";

export type { CiEnv, CiFacts, CiProvider } from "./types.js";

export function detectCiProvider(env: CiEnv): CiProvider | undefined {
  if (value(env, "GITHUB_ACTIONS") === "true") return "github";
  if (value(env, "CIRCLECI") === "true") return "circleci";
  if (value(env, "GITLAB_CI") === "true") return "gitlab";
  return undefined;
}

/** Read what the CI run says about its commit. `githubEvent` is the parsed GITHUB_EVENT_PATH payload. */
export function ciFacts(env: CiEnv, githubEvent?: unknown): CiFacts {
  const provider = detectCiProvider(env);
  switch (provider) {
    case "github":
      return githubFacts(env, githubEvent);
    case "circleci":
      return circleciFacts(env);
    case "gitlab":
      return gitlabFacts(env);
    default:
      throw ConfigError.at(
        "--from-env",
        'no supported CI detected (GITHUB_ACTIONS, CIRCLECI or GITLAB_CI must be "true"); pass --repository, --sha and --branch instead',
      );
  }
}

export interface ArtifactFromCi {
  artifact: ArtifactInput;
  /** Allow-listed variables left out because their value looked like a credential. */
  dropped: string[];
}

/** Build an artifact from CI facts: only allow-listed variables, and never one whose value looks like a secret. */
export function artifactFromFacts(env: CiEnv, facts: CiFacts): ArtifactFromCi {
  const context: Record<string, string> = { CI_PROVIDER: facts.provider };
  const dropped: string[] = [];
  const keep = (name: string, v: string | undefined) => {
    if (v === undefined || v === "") return;
    if (secretKind(v)) dropped.push(name);
    else context[name] = v;
  };
  for (const name of facts.allowedVariables) keep(name, value(env, name));
  keep("ACTOR", facts.actor);
  keep("JOB", facts.job);
  keep("BUILD_URL", facts.buildUrl);
  const version = {
    repositoryName: facts.repositoryName,
    sha: facts.sha,
    event: facts.event,
    branch: facts.branch,
    sourceBranch: facts.sourceBranch,
    targetBranch: facts.targetBranch,
    tag: facts.tag,
    prNumber: facts.prNumber,
    message: facts.message,
    authorName: facts.authorName,
    authorEmail: facts.authorEmail,
    committerName: facts.committerName,
    committerEmail: facts.committerEmail,
    url: facts.url,
    created: facts.created,
  };
  const defined = Object.fromEntries(
    Object.entries(version).filter(([, v]) => v !== undefined),
  ) as ArtifactInput["version"];
  return { artifact: { version: defined, context, vars: {}, items: [], environments: [] }, dropped };
}

export function artifactFromCiEnv(env: CiEnv, githubEvent?: unknown): ArtifactFromCi {
  return artifactFromFacts(env, ciFacts(env, githubEvent));
}
