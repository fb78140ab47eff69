import type { Conversation } from "../../shared/commands/index.js";

/** The hidden marker that finds the PR's one preview comment again (edited in place, never a second one). */
export const PREVIEW_MARKER = "<!-- gimlet:previews -->";
const STATE_PREFIX = "<!-- gimlet:previews-state ";

/** One preview app's row. The rows live in the comment itself (hidden JSON), since the app keeps no database. */
export interface PreviewRow {
  env: string;
  app: string;
  sha: string;
  state: string;
  url?: string;
  /** Why it was removed, once it was. */
  removed?: string;
  updated: string;
}

export function parsePreviewRows(body: string): PreviewRow[] {
  const start = body.indexOf(STATE_PREFIX);
  if (start < 0) return [];
  const end = body.indexOf(" -->", start);
  try {
    const parsed: unknown = JSON.parse(body.slice(start + STATE_PREFIX.length, end));
    return Array.isArray(parsed) ? (parsed as PreviewRow[]) : [];
  } catch {
    return [];
  }
}

export function previewCommentBody(rows: readonly PreviewRow[]): string {
  const sorted = [...rows].sort((a, b) => `${a.env}/${a.app}`.localeCompare(`${b.env}/${b.app}`));
  // `-->` can't appear in JSON.stringify output of these fields unless a value holds it; escape `>` to be sure
  const state = JSON.stringify(sorted).replace(/>/g, "\\u003e");
  return [
    PREVIEW_MARKER,
    `${STATE_PREFIX}${state} -->`,
    "### Preview environments",
    "",
    "| App | Env | Commit | State | URL |",
    "|---|---|---|---|---|",
    ...sorted.map(
      (r) =>
        `| \`${r.app}\` | ${r.env} | \`${r.sha.slice(0, 7)}\` | ${r.removed ? `🗑️ removed: ${r.removed}` : r.state} | ${r.url ? (r.removed ? `~~${r.url}~~` : r.url) : ""} |`,
    ),
  ].join("\n");
}

/**
 * Merge rows into the PR's preview comment: find it by its marker (one list call), edit it in place, or create it
 * the first time. Rows of other apps stay as they were.
 */
export async function upsertPreviewComment(
  conversation: Conversation,
  repository: string,
  prNumber: number,
  update: (rows: PreviewRow[]) => PreviewRow[],
): Promise<void> {
  const comments = await conversation.listComments(repository, prNumber);
  const existing = comments.find((c) => c.body.startsWith(PREVIEW_MARKER));
  const rows = update(existing ? parsePreviewRows(existing.body) : []);
  if (!rows.length) return;
  const body = previewCommentBody(rows);
  if (existing) {
    if (existing.body !== body) await conversation.updateComment(repository, existing.id, body);
    return;
  }
  const created = await conversation.createComment(repository, prNumber, body);
  // Another replica may have created one at the same moment: the oldest stays (with both sets of rows), ours goes.
  const markers = (await conversation.listComments(repository, prNumber)).filter((c) =>
    c.body.startsWith(PREVIEW_MARKER),
  );
  const oldest = markers[0];
  if (markers.length > 1 && oldest && oldest.id !== created.id) {
    const merged = rows.reduce((acc, row) => withRow(acc, row), parsePreviewRows(oldest.body));
    await conversation.updateComment(repository, oldest.id, previewCommentBody(merged));
    await conversation.deleteComment(repository, created.id);
  }
}

export function withRow(rows: PreviewRow[], row: PreviewRow): PreviewRow[] {
  return [...rows.filter((r) => !(r.env === row.env && r.app === row.app)), row];
}
