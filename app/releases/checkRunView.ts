import type { StoredArtifact } from "../../shared/artifact/index.js";
import type { ReasonCode } from "../../shared/outcomes.js";
import type { CheckRunAction, CheckRunInput } from "../../shared/ports.js";

export const CHECK_RUN_NAME = "gimlet";
const GITHUB_TEXT_LIMIT = 65_535;

/** What the check run shows of a policy decision. */
export interface DecisionLike {
  env: string;
  app: string;
  deploy: boolean;
  reasonCode: ReasonCode;
  reason: string;
  preview?: boolean;
}

export interface DecisionState {
  /** An outcome code (`queued`, `committed <sha>`, `failed (<reason code>): …`); absent when nothing was released. */
  state?: string;
  deploymentUrl?: string;
}

const escapeCell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/**
 * Buttons for environments the policy did not release to: `deploy:<index of the manifest in the artifact>`. None for
 * an env the policy is releasing now, none for a preview manifest of an artifact that is not a PR (it would overwrite
 * the env's app), none for a manifest that can't render for this artifact (`canRelease`), at most three.
 */
export function deployButtons(
  decisions: readonly DecisionLike[],
  canRelease: (index: number) => boolean = () => true,
): CheckRunAction[] {
  const releasing = new Set(decisions.filter((d) => d.deploy).map((d) => d.env));
  const offered = new Set<string>();
  const actions: CheckRunAction[] = [];
  decisions.forEach((decision, index) => {
    if (decision.deploy || releasing.has(decision.env) || offered.has(decision.env) || actions.length >= 3) return;
    if (
      decision.reasonCode === "preview_needs_pr" ||
      decision.reasonCode === "invalid_manifest" ||
      decision.reasonCode === "unknown_env"
    )
      return;
    if (!canRelease(index)) return;
    offered.add(decision.env);
    const label = `Deploy to ${decision.env}`;
    actions.push({
      label: label.length <= 20 ? label : `Deploy ${decision.env}`.slice(0, 20),
      description: `Release ${decision.app} to ${decision.env}`.slice(0, 40),
      identifier: `deploy:${index}`,
    });
  });
  return actions;
}

/** The `gimlet` check run of an artifact: a table of environments, decisions and states, the JSON, the buttons. */
export function artifactCheckRun(
  artifact: StoredArtifact,
  decisions: readonly DecisionLike[],
  states: readonly DecisionState[],
  canRelease?: (index: number) => boolean,
): CheckRunInput {
  const releasing = decisions.filter((d) => d.deploy).length;
  const rows = decisions.map((d, i) => {
    const state = states[i]?.state;
    const link = states[i]?.deploymentUrl;
    return `| ${escapeCell(d.env)} | ${escapeCell(d.app)}${d.preview ? " (preview)" : ""} | ${d.deploy ? "release" : "—"} | ${escapeCell(`${d.reasonCode}: ${d.reason}`)} | ${state ? (link ? `[${state}](${link})` : state) : ""} |`;
  });
  const summary = [
    `Artifact \`${artifact.id}\` for ${artifact.version.event} ${artifact.version.tag ?? artifact.version.branch ?? ""} (${artifact.version.sha.slice(0, 7)}).`,
    "",
    "| Environment | App | Policy | Why | State |",
    "|---|---|---|---|---|",
    ...rows,
  ].join("\n");
  return {
    name: CHECK_RUN_NAME,
    headSha: artifact.version.sha,
    externalId: artifact.id,
    status: "completed",
    conclusion: decisions.some((d) => d.reasonCode === "invalid_manifest" || d.reasonCode === "object_not_allowed")
      ? "failure"
      : "success",
    title: releasing
      ? `Releasing to ${decisions
          .filter((d) => d.deploy)
          .map((d) => `${d.env}/${d.app}`)
          .join(", ")}`
      : "Artifact stored; no automatic release",
    summary: summary.slice(0, GITHUB_TEXT_LIMIT),
    text: artifactJsonText(artifact),
    actions: deployButtons(decisions, canRelease),
  };
}

/** The artifact JSON in a fenced block, within GitHub's limit; the artifact file on the branch always has all of it. */
export function artifactJsonText(artifact: StoredArtifact): string {
  const full = `\`\`\`json\n${JSON.stringify(artifact, null, 2)}\n\`\`\``;
  if (full.length <= GITHUB_TEXT_LIMIT) return full;
  const compact = `\`\`\`json\n${JSON.stringify(artifact)}\n\`\`\``;
  if (compact.length <= GITHUB_TEXT_LIMIT) return compact;
  return `The artifact is ${full.length} characters, over GitHub's limit for check run text; it is stored whole in the artifact file.`;
}

/** Read the artifact back from a check run's text (what artifactJsonText wrote). */
export function artifactFromCheckRunText(text: string | undefined): unknown {
  const json = text ? /^```json\n([\s\S]*)\n```$/.exec(text)?.[1] : undefined;
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}
