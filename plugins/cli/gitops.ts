import { existsSync } from "node:fs";
import { ConfigError } from "../../shared/errors.js";
import type { GitopsTarget, GitopsWriter, WriteOutcome } from "../../shared/gitops/index.js";
import type { CommandContext, OptionSpec } from "./command.js";
import { resolvePath } from "./files.js";

export const gitopsOptions: Record<string, OptionSpec> = {
  repo: { type: "string", description: "the gitops repository: a git URL or a local path", valueName: "URL|PATH" },
  branch: { type: "string", description: "the gitops branch (default main)", valueName: "BRANCH" },
  path: {
    type: "string",
    description: 'the env\'s folder in the repo (default: the env name; "" = repo per env)',
    valueName: "DIR",
  },
  env: { type: "string", description: "the environment", valueName: "E" },
};

const isUrl = (repo: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[^/]+@[^:]+:/.test(repo);

/** The gitops target and env of a command's flags; a local path is made absolute so clones find it. */
export function gitopsTarget(ctx: CommandContext): GitopsTarget & { env: string } {
  const repo = ctx.options.repo as string | undefined;
  const env = ctx.options.env as string | undefined;
  const missing = [
    !repo && { path: "--repo", message: "required: the gitops repository (URL or path)" },
    !env && { path: "--env", message: "required: the environment" },
  ].filter((p): p is { path: string; message: string } => Boolean(p));
  if (missing.length) throw ConfigError.of(missing);
  let location = repo as string;
  if (!isUrl(location)) {
    location = resolvePath(ctx.io.cwd, location);
    if (!existsSync(location)) throw ConfigError.at("--repo", `${repo} is neither a URL nor an existing path`);
  }
  const target: GitopsTarget & { env: string } = { repo: location, env: env as string };
  if (typeof ctx.options.branch === "string") target.branch = ctx.options.branch;
  if (typeof ctx.options.path === "string") target.path = ctx.options.path;
  return target;
}

/** A gitops write as `-o json` shows it: `decision` kept for compatibility, `outcome` in the one vocabulary. */
export function outcomeJson(outcome: WriteOutcome) {
  return {
    env: outcome.env,
    app: outcome.app,
    decision: outcome.decision,
    outcome: outcome.decision,
    reasonCode: outcome.reasonCode,
    gitopsSha: outcome.gitopsSha,
  };
}

/** Who the commit says did it. */
export function actorOf(ctx: CommandContext): string {
  return (
    (ctx.options.actor as string | undefined) ??
    ctx.io.env.GIMLET_ACTOR ??
    ctx.io.env.GITHUB_ACTOR ??
    ctx.io.env.USER ??
    "cli"
  );
}

export const actorOption: OptionSpec = {
  type: "string",
  description: "who the commit names as the actor (default $GIMLET_ACTOR or $USER)",
  valueName: "NAME",
};

/** A writer for one command; its clones are removed when the command ends. */
export async function withWriter<T>(fn: (writer: GitopsWriter) => Promise<T>): Promise<T> {
  // loaded by the gitops commands only: simple-git and the writer are no part of shipping from CI
  const { GitopsWriter } = await import("../../shared/gitops/index.js");
  const writer = new GitopsWriter();
  try {
    return await fn(writer);
  } finally {
    await writer.close();
  }
}

export function progress(ctx: CommandContext, line: string): void {
  if (!ctx.json) ctx.io.stderr(`${line}\n`);
}
