import { COMMAND_USAGE } from "../../shared/commands/index.js";
import type { CommandOutcome } from "./outcome.js";

/** Hidden in the reply, so a human (or a test) can tell which comment it answers. */
export const replyMarker = (commentId: number) => `<!-- gimlet:reply ${commentId} -->`;

const ICON: Record<CommandOutcome["decision"], string> = { done: "✅", refused: "⛔", failed: "❌" };

/** The one reply of a command that did not start a release (a refusal, help, status, a lock). */
export function outcomeReply(commentId: number, firstLine: string, login: string, outcome: CommandOutcome): string {
  return [
    replyMarker(commentId),
    `> ${firstLine.slice(0, 200)}`,
    "",
    `${ICON[outcome.decision]} ${outcome.decision === "done" ? "" : `**${outcome.decision === "refused" ? "Refused" : "Failed"}** (\`${outcome.reasonCode}\`), @${login}: `}${outcome.message}`,
  ].join("\n");
}

/** Usage plus what is valid here, for help and for refusals that name something unknown. */
export function helpText(envs: readonly string[], apps: readonly string[] = []): string {
  return [
    "Commands (first line of a PR comment):",
    "```",
    ...COMMAND_USAGE,
    "```",
    `Environments: ${envs.length ? envs.map((e) => `\`${e}\``).join(", ") : "none configured in `.github/gimlet.yml`"}`,
    ...(apps.length ? [`Apps: ${apps.map((a) => `\`${a}\``).join(", ")}`] : []),
  ].join("\n");
}

export type ReleaseState = "queued" | "committed" | "applied" | "healthy" | "failed" | "already deployed";

export interface ReleaseView {
  verb: "deploy" | "rollback";
  env: string;
  app: string;
  /** The app commit deployed (deploy) or the gitops commit restored (rollback). */
  sha: string;
  state: ReleaseState;
  /** Where the release is written (for the commit link). */
  gitopsRepository?: string;
  gitopsUrl?: string;
  gitopsSha?: string;
  deploymentUrl?: string;
  environmentUrl?: string;
  message?: string;
}

const STATE_ICON: Record<ReleaseState, string> = {
  queued: "⏳",
  committed: "📝",
  applied: "✅",
  healthy: "✅",
  failed: "❌",
  "already deployed": "✅",
};

/** The reply of a release command, edited in place as the release moves. */
export function releaseReply(commentId: number, firstLine: string, login: string, view: ReleaseView): string {
  const what =
    view.verb === "deploy"
      ? `Deploying \`${view.app}\` at \`${view.sha.slice(0, 7)}\` to **${view.env}**`
      : `Rolling back \`${view.app}\` in **${view.env}** to gitops \`${view.sha.slice(0, 7)}\``;
  const rows = [
    [
      "State",
      `${STATE_ICON[view.state]} ${view.state}${view.message ? `: ${view.message.replace(/\r?\n/g, " ")}` : ""}`,
    ],
    ...(view.gitopsUrl ? [["Gitops commit", `[\`${(view.gitopsSha ?? "").slice(0, 7)}\`](${view.gitopsUrl})`]] : []),
    ...(view.deploymentUrl ? [["Deployment", `[${view.env}/${view.app}](${view.deploymentUrl})`]] : []),
    ...(view.environmentUrl ? [["Environment", view.environmentUrl]] : []),
  ];
  return [
    replyMarker(commentId),
    `> ${firstLine.slice(0, 200)}`,
    "",
    `${what}, requested by @${login}.`,
    "",
    "| | |",
    "|---|---|",
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
  ].join("\n");
}

/** A release reply with its State row replaced (the rest, links included, stays as it was). */
export function withReplyState(body: string, state: ReleaseState, message: string): string {
  const row = `| State | ${STATE_ICON[state]} ${state}: ${message.replace(/\r?\n/g, " ")} |`;
  return body
    .split("\n")
    .map((line) => (line.startsWith("| State | ") ? row : line))
    .join("\n");
}
