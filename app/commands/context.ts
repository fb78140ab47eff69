import type { StoredArtifact } from "../../shared/artifact/index.js";
import type { Command, Conversation, PullRequestInfo } from "../../shared/commands/index.js";
import { envLocation, type GimletConfig } from "../../shared/config/index.js";
import type { GitopsTarget } from "../../shared/gitops/index.js";
import type { Logger } from "../../shared/ports.js";
import { listArtifacts } from "../releases/artifacts.js";
import type { PushOutcome } from "../releases/release.js";
import type { AppServices } from "../services.js";
import { authorizeEnvChange } from "./authorize.js";
import { type CommandOutcome, Refusal } from "./outcome.js";
import { helpText, type ReleaseView } from "./reply.js";

/** One comment command being answered. */
export interface CommandContext {
  services: AppServices;
  conversation: Conversation;
  log: Logger;
  repository: string;
  issueNumber: number;
  comment: { id: number; body: string; createdAt: string; author: string };
  firstLine: string;
}

/** A release a command may start once every check passed; the reply exists first so the deployment can name it. */
export interface PendingRelease {
  /** The reply's first view (before any GitHub write of the release). */
  view: ReleaseView;
  start(replyId: number): Promise<{ view: ReleaseView; pushed: Promise<PushOutcome> }>;
}

export type CommandResult = CommandOutcome | { release: PendingRelease };

export type CommandRunner<K extends Command["kind"]> = (
  ctx: CommandContext,
  command: Extract<Command, { kind: K }>,
) => Promise<CommandResult>;

/** The env a command names, known to the configuration; unknown → help listing the valid ones. */
export function knownEnv(config: GimletConfig, env: string | undefined, verb: string): string {
  const envs = Object.keys(config.environments);
  if (env === undefined)
    throw new Refusal("env_required", `name the environment: \`/gimlet ${verb} <env>\`\n\n${helpText(envs)}`);
  if (!config.environments[env])
    throw new Refusal("unknown_env", `there is no environment \`${env}\`\n\n${helpText(envs)}`);
  return env;
}

export function gitopsTarget(config: GimletConfig, env: string): GitopsTarget & { env: string } {
  const location = envLocation(config, env);
  return { repo: location.repository, branch: location.branch, path: location.path, env };
}

/** The pull request the comment is on; fork PRs and closed PRs are refused for every command that changes something. */
export async function openSameRepoPullRequest(ctx: CommandContext): Promise<PullRequestInfo> {
  const pr = await ctx.conversation.getPullRequest(ctx.repository, ctx.issueNumber);
  if (!pr) throw new Refusal("not_a_pull_request", `#${ctx.issueNumber} is not a pull request of ${ctx.repository}`);
  if (!pr.headRepository || pr.headRepository.toLowerCase() !== pr.baseRepository.toLowerCase())
    throw new Refusal(
      "fork_pr",
      `this pull request comes from a fork (${pr.headRepository ?? "a deleted repository"}); commands are refused on fork PRs`,
    );
  if (pr.state === "closed")
    throw new Refusal("pr_closed", `this pull request is ${pr.merged ? "merged" : "closed"}; commands need an open PR`);
  return pr;
}

export async function authorize(ctx: CommandContext, config: GimletConfig, env: string): Promise<void> {
  await authorizeEnvChange(ctx.conversation, ctx.services.deps.clock, config, env, ctx.comment.author, ctx.repository);
}

/** The newest artifact CI shipped for the PR head (a `pr` artifact first, else any). */
export async function headArtifact(
  ctx: CommandContext,
  config: GimletConfig,
  pr: PullRequestInfo,
): Promise<StoredArtifact> {
  const found = await listArtifacts(ctx.services.deps.forge, config, {
    repository: ctx.repository,
    sha: pr.headSha,
    limit: 10,
  });
  const artifact = found.find((a) => a.version.event === "pr") ?? found[0];
  if (!artifact)
    throw new Refusal(
      "no_artifact",
      `CI has not shipped an artifact for the PR head \`${pr.headSha.slice(0, 7)}\` yet; comment again once it has`,
    );
  return artifact;
}

/**
 * The deploy must be of the head the commenter saw: a head pushed, or committed, after the comment was written means
 * it moved after it, so the command refuses instead of deploying a commit nobody asked for. The push time (GitHub's
 * check suite of the commit) catches a commit whose committer date was set in the past; the committer date covers a
 * repository where no check suite exists.
 */
export async function checkHeadNotNewer(ctx: CommandContext, pr: PullRequestInfo): Promise<void> {
  const [committed, pushed] = await Promise.all([
    ctx.conversation.commitDate(ctx.repository, pr.headSha),
    ctx.conversation.firstPushed(ctx.repository, pr.headSha),
  ]);
  const comment = Date.parse(ctx.comment.createdAt);
  const after = [
    { what: "pushed", at: pushed },
    { what: "committed", at: committed },
  ].find((time) => time.at && Date.parse(time.at) > comment);
  if (after)
    throw new Refusal(
      "stale_head",
      `the PR head moved to \`${pr.headSha.slice(0, 7)}\` (${after.what} ${after.at}) after your comment (${ctx.comment.createdAt}); nothing was deployed. Comment again to deploy the new head`,
    );
}

/** Refused when someone else holds the env lock; who, since when and why. */
export async function checkNotLockedByOther(ctx: CommandContext, config: GimletConfig, env: string): Promise<void> {
  const lock = await ctx.services.deps.writer.readLock(gitopsTarget(config, env));
  if (!lock || lock.by.toLowerCase() === ctx.comment.author.toLowerCase()) return;
  throw new Refusal(
    "locked",
    `environment \`${env}\` is locked by @${lock.by} since ${lock.created}${lock.reason ? `: ${lock.reason}` : ""}${lock.source ? ` (${lock.source})` : ""}`,
  );
}

/** Has an earlier delivery of this comment (on any replica) already created its deployment? */
export async function deploymentOfComment(
  ctx: CommandContext,
  query: { sha?: string },
): Promise<{ id: number; url: string } | undefined> {
  const deployments = await ctx.services.deps.forge.listDeployments(ctx.repository, query);
  return deployments.find((d) => d.payload.commentId === ctx.comment.id);
}
