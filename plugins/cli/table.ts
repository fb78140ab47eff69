/** A plain aligned text table for terminals. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join("\n")}\n`;
}

/** How every command names an app: previews are marked, so a preview and its base app never read as one row twice. */
export function appLabel(app: string, preview?: boolean): string {
  return preview ? `${app} (preview)` : app;
}
