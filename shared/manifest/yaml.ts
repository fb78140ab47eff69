import { loadAll, type YAMLException } from "js-yaml";
import { ConfigError, type Problem } from "../errors.js";

export interface YamlLimits {
  maxBytes: number;
  /** Nodes after alias expansion: a billion-laughs document is small on disk and huge in memory. */
  maxExpandedNodes: number;
  maxAliases: number;
  maxDepth: number;
}

export const defaultYamlLimits: YamlLimits = {
  maxBytes: 1024 * 1024,
  maxExpandedNodes: 100_000,
  maxAliases: 100,
  maxDepth: 64,
};

/** Parse a YAML stream into documents, turning YAML's traps and abuse into ConfigErrors that say what to write instead. */
export function parseYamlDocuments(text: string, file: string, limits: YamlLimits = defaultYamlLimits): unknown[] {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > limits.maxBytes) {
    throw ConfigError.at(file, `file is ${formatBytes(bytes)}; the limit is ${formatBytes(limits.maxBytes)}`);
  }
  let documents: unknown[];
  try {
    documents = loadAll(text, { filename: file, maxAliases: limits.maxAliases, maxDepth: limits.maxDepth });
  } catch (error) {
    throw ConfigError.of([yamlProblem(error as YAMLException, text, file)]);
  }
  for (const [index, document] of documents.entries()) {
    checkExpandedSize(document, documents.length > 1 ? `${file}[${index}]` : file, limits);
  }
  return documents.filter((document) => document !== null && document !== undefined);
}

function yamlProblem(error: YAMLException, text: string, file: string): Problem {
  const reason = error.reason ?? error.message;
  const mark = error.mark;
  const line = mark ? (text.split("\n")[mark.line] ?? "") : "";
  // Point at the offending token itself, not where the parser noticed it.
  const at = (column?: number) => (mark ? `${file}:${mark.line + 1}:${(column ?? mark.column) + 1}` : file);
  const [, tag] = /unknown (?:scalar |sequence |mapping )?tag !<(!?[^>]*)>/.exec(reason) ?? [];
  if (tag !== undefined) {
    return {
      path: at(tokenColumn(line, tag)),
      message: `${tag} is read by YAML as a tag, not as text; quote the value${suggestQuoted(line, tag)}`,
    };
  }
  const alias = /name of an alias node must contain at least one character|unidentified alias "([^"]*)"/.exec(reason);
  if (alias) {
    const token = `*${alias[1] ?? ""}`;
    return {
      path: at(tokenColumn(line, token)),
      message: `${token} is read by YAML as an alias, not as text; quote the value${suggestQuoted(line, token)}`,
    };
  }
  if (/maxAliases|too many alias/i.test(reason)) {
    return {
      path: at(),
      message: `too many YAML aliases (the limit is ${defaultYamlLimits.maxAliases}); write the values out`,
    };
  }
  return { path: at(), message: `invalid YAML: ${reason}` };
}

function tokenColumn(line: string, token: string): number | undefined {
  const index = line.indexOf(token);
  return index < 0 ? undefined : index;
}

/** `  branch: !main` → `: write branch: "!main"`; empty when the token can't be found on the line. */
function suggestQuoted(line: string, token: string): string {
  const start = line.indexOf(token);
  if (start < 0) return "";
  const rest = line
    .slice(start)
    .replace(/\s+#.*$/, "")
    .trim();
  const valueEnd = /[,\]}]/.exec(rest.slice(token.length));
  const value = valueEnd ? rest.slice(0, token.length + valueEnd.index).trim() : rest;
  const fixed = `${line.slice(0, start)}${JSON.stringify(value)}${rest.slice(value.length)}`.trim();
  return `: write ${fixed}`;
}

function checkExpandedSize(document: unknown, file: string, limits: YamlLimits): void {
  let nodes = 0;
  const visit = (value: unknown, depth: number): void => {
    if (++nodes > limits.maxExpandedNodes) {
      throw ConfigError.at(
        file,
        `document expands to more than ${limits.maxExpandedNodes} nodes through YAML aliases (a YAML bomb?); write the values out`,
      );
    }
    if (depth > limits.maxDepth) throw ConfigError.at(file, `document nests deeper than ${limits.maxDepth} levels`);
    if (Array.isArray(value)) for (const item of value) visit(item, depth + 1);
    else if (value !== null && typeof value === "object")
      for (const item of Object.values(value)) visit(item, depth + 1);
  };
  visit(document, 0);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
