import { ConfigError, type Problem } from "../errors.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Parse a dotenv file: `KEY=value`, `export KEY=value`, `#` comments, single quotes literal, double quotes with \n \t \" \\ escapes. */
export function parseDotenv(text: string, file = ".env"): Record<string, string> {
  const out: Record<string, string> = {};
  const problems: Problem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const [, name, rawValue = ""] = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line) ?? [];
    if (name === undefined || !NAME.test(name)) {
      problems.push({ path: `${file}:${index + 1}`, message: "expected KEY=value" });
      return;
    }
    const value = unquote(rawValue);
    if (value === undefined) problems.push({ path: `${file}:${index + 1}`, message: "unterminated quoted value" });
    else out[name] = value;
  });
  if (problems.length) throw ConfigError.of(problems);
  return out;
}

function unquote(value: string): string | undefined {
  if (value.startsWith("'")) return value.length > 1 && value.endsWith("'") ? value.slice(1, -1) : undefined;
  if (value.startsWith('"')) {
    if (value.length < 2 || !value.endsWith('"')) return undefined;
    return value.slice(1, -1).replace(/\\([nrt"\\$])/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c] ?? c);
  }
  return value.replace(/\s+#.*$/, "");
}
