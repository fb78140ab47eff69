import { existsSync, readFileSync } from "node:fs";
import { type ArtifactInput, artifactFromCiEnv, parseArtifact } from "../../../shared/artifact/index.js";
import { ConfigError } from "../../../shared/errors.js";
import { type Command, type CommandContext, EXIT } from "../command.js";
import { resolvePath, writeArtifactFile } from "../files.js";

/** GITHUB_EVENT_PATH holds the PR head sha and number that the environment lacks. */
function githubEvent(ctx: CommandContext): unknown {
  const path = ctx.io.env.GITHUB_EVENT_PATH;
  if (!path || ctx.io.env.GITHUB_ACTIONS !== "true") return undefined;
  const full = resolvePath(ctx.io.cwd, path);
  if (!existsSync(full)) return undefined;
  try {
    return JSON.parse(readFileSync(full, "utf8"));
  } catch {
    throw ConfigError.at("GITHUB_EVENT_PATH", `${path} is not valid JSON`);
  }
}

const flagToVersionField: Record<string, string> = {
  repository: "repositoryName",
  sha: "sha",
  branch: "branch",
  event: "event",
  tag: "tag",
  pr: "prNumber",
  message: "message",
  "author-name": "authorName",
  "author-email": "authorEmail",
  url: "url",
  "target-branch": "targetBranch",
};

export const artifactCreate: Command = {
  path: ["artifact", "create"],
  summary: "Create a release artifact from flags or from the CI environment",
  usage:
    "artifact create [--from-env] [--repository o/r --sha S --branch B --event push|pr|tag --tag T --pr N ...] [-o FILE]",
  description:
    "With --from-env, the commit, branch, tag or PR come from the environment of GitHub Actions, CircleCI or GitLab CI; " +
    "only allow-listed CI variables are kept and none that looks like a secret. Flags override what the environment says. " +
    "The artifact is written to FILE (-o), or printed on stdout.",
  options: {
    "from-env": { type: "boolean", description: "read the commit and CI context from the CI environment" },
    repository: { type: "string", description: "owner/repo", valueName: "o/r" },
    sha: { type: "string", description: "the full commit sha" },
    branch: { type: "string", description: "branch (for a PR: the head branch)" },
    event: { type: "string", description: "push, pr or tag (default push)" },
    tag: { type: "string", description: "the git tag, for tag events" },
    pr: { type: "string", description: "the PR number, for pr events", valueName: "N" },
    "target-branch": { type: "string", description: "the PR base branch" },
    message: { type: "string", short: "m", description: "the commit message" },
    "author-name": { type: "string", description: "commit author name" },
    "author-email": { type: "string", description: "commit author email" },
    url: { type: "string", description: "link to the commit" },
    output: {
      type: "string",
      short: "o",
      description: "write the artifact to FILE (json or - for stdout)",
      valueName: "FILE",
    },
  },
  examples: [
    "gimlet artifact create --from-env -o artifact.json",
    "gimlet artifact create --repository acme/shop --sha $(git rev-parse HEAD) --branch main -o artifact.json",
  ],
  async run(ctx) {
    const { options, io } = ctx;
    let input: ArtifactInput = { version: {} as ArtifactInput["version"] };
    if (options["from-env"]) {
      const built = artifactFromCiEnv(io.env, githubEvent(ctx));
      input = built.artifact;
      if (built.dropped.length) io.stderr(`left out (the values look like secrets): ${built.dropped.join(", ")}\n`);
    }
    const version: Record<string, unknown> = { ...input.version };
    for (const [flag, field] of Object.entries(flagToVersionField)) {
      const value = options[flag];
      if (typeof value === "string") version[field] = value;
    }
    if (version.event === "pr" && !version.sourceBranch && typeof version.branch === "string")
      version.sourceBranch = version.branch;
    const artifact = parseArtifact({ ...input, version });
    const output = options.output as string | undefined;
    if (output && output !== "json" && output !== "-") {
      writeArtifactFile(io.cwd, output, artifact);
      io.stderr(
        `artifact for ${artifact.version.repositoryName}@${artifact.version.sha.slice(0, 7)} (${artifact.version.event}) written to ${output}\n`,
      );
    } else {
      io.stdout(`${JSON.stringify(artifact, null, 2)}\n`);
    }
    return EXIT.ok;
  },
};
