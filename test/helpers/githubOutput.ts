/**
 * GITHUB_OUTPUT as the runner reads it: per line, `name=value` when `=` comes before any `<<`, else a heredoc
 * `name<<DELIMITER` whose value runs until the line that is exactly DELIMITER. Throws where the runner fails the step.
 */
export function parseGithubOutput(text: string): Record<string, string> {
  const lines = text.split(/\r?\n/);
  const out: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === "") continue;
    const equals = line.indexOf("=");
    const heredoc = line.indexOf("<<");
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      out[line.slice(0, equals)] = line.slice(equals + 1);
      continue;
    }
    if (heredoc <= 0) throw new Error(`invalid GITHUB_OUTPUT line ${i + 1}: ${line}`);
    const delimiter = line.slice(heredoc + 2);
    const end = lines.indexOf(delimiter, i + 1);
    if (end < 0) throw new Error(`GITHUB_OUTPUT line ${i + 1}: no closing ${delimiter}`);
    out[line.slice(0, heredoc)] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return out;
}
