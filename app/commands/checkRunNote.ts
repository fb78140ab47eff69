import type { Forge } from "../../shared/ports.js";

export interface CheckRunSnapshot {
  id: number;
  title: string;
  summary: string;
}

const escapeCell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const NOTES_HEADING = "**Deploy buttons**";

/**
 * The artifact's check run summary with a button press written in: the state cell of the env/app row, and one line
 * under "Deploy buttons". Rows are split on unescaped `|` only (the reason cell escapes its own).
 */
export function summaryWithNote(summary: string, env: string, app: string, state: string, line: string): string {
  const lines = summary.split("\n").map((row) => {
    if (!row.startsWith("| ")) return row;
    const cells = row.split(/(?<!\\)\|/);
    // ["", " env ", " app ", " policy ", " why ", " state ", ""]
    if (cells.length !== 7) return row;
    const rowEnv = cells[1]?.trim();
    const rowApp = cells[2]?.trim().replace(/ \(preview\)$/, "");
    if (rowEnv !== env || (rowApp !== app && !app.startsWith(`${rowApp}-pr-`))) return row;
    cells[5] = ` ${escapeCell(state)} `;
    return cells.join("|");
  });
  const text = lines.join("\n");
  const note = `- ${line.replace(/\r?\n/g, " ")}`;
  return text.includes(NOTES_HEADING) ? `${text}\n${note}` : `${text}\n\n${NOTES_HEADING}\n${note}`;
}

/** Write a button's answer into the check run it was pressed on: never only a log line. */
export async function noteOnCheckRun(
  forge: Forge,
  repository: string,
  checkRun: CheckRunSnapshot,
  note: { env: string; app: string; state: string; line: string },
): Promise<CheckRunSnapshot> {
  const summary = summaryWithNote(checkRun.summary, note.env, note.app, note.state, note.line).slice(0, 65_535);
  await forge.updateCheckRun(repository, checkRun.id, { title: checkRun.title, summary });
  return { ...checkRun, summary };
}
