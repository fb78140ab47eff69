import type { CheckRun, CheckRunAction, CheckRunInput } from "../../shared/ports.js";

/** GitHub's limit on a check run's `output.summary` and `output.text`. */
export const CHECK_OUTPUT_LIMIT = 65_535;
/** GitHub's limit on a deployment status' `description`. */
export const STATUS_DESCRIPTION_LIMIT = 140;
export const TRUNCATED_MARKER = "\n\n…(truncated)";

/** At most `limit` UTF-16 units, ending in `marker` when cut (never splitting a surrogate pair). */
export function truncate(text: string, limit: number, marker = TRUNCATED_MARKER): string {
  if (text.length <= limit) return text;
  let end = Math.max(0, limit - marker.length);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end) + marker;
}

/** Check-run actions as GitHub takes them; labels and descriptions are cut to fit, bad identifiers refused. */
function actionsBody(actions: CheckRunAction[]): CheckRunAction[] {
  if (actions.length > 3) throw new Error(`a check run has at most 3 actions, got ${actions.length}`);
  return actions.map((a) => {
    if (a.identifier.length > 20)
      throw new Error(`check run action identifier longer than 20 characters: ${a.identifier}`);
    return {
      label: truncate(a.label, 20, "…"),
      description: truncate(a.description, 40, "…"),
      identifier: a.identifier,
    };
  });
}

export interface CheckRunOutputBody {
  title: string;
  summary: string;
  text?: string;
}

/** The fields of a check-run create/update body that `input` sets (GitHub's snake_case names). */
export function checkRunBody(input: Partial<CheckRunInput>, output?: CheckRunOutputBody): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (input.name !== undefined) body.name = input.name;
  if (input.headSha !== undefined) body.head_sha = input.headSha;
  if (input.externalId !== undefined) body.external_id = input.externalId;
  if (input.status !== undefined) body.status = input.status;
  if (input.conclusion !== undefined) body.conclusion = input.conclusion;
  if (input.detailsUrl !== undefined) body.details_url = input.detailsUrl;
  if (output) {
    body.output = {
      title: output.title,
      summary: truncate(output.summary, CHECK_OUTPUT_LIMIT),
      ...(output.text !== undefined ? { text: truncate(output.text, CHECK_OUTPUT_LIMIT) } : {}),
    };
  }
  if (input.actions !== undefined) body.actions = actionsBody(input.actions);
  return body;
}

/** The part of GitHub's check-run object the port maps. */
export interface GitHubCheckRun {
  id: number;
  external_id?: string | null;
  head_sha: string;
  html_url?: string | null;
  output?: { title?: string | null; summary?: string | null; text?: string | null } | null;
}

export function toCheckRun(data: GitHubCheckRun): CheckRun {
  return {
    id: data.id,
    externalId: data.external_id ?? "",
    headSha: data.head_sha,
    url: data.html_url ?? "",
    title: data.output?.title ?? undefined,
    summary: data.output?.summary ?? undefined,
    text: data.output?.text ?? undefined,
  };
}
