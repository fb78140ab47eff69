export interface GlobOptions {
  /** Commit message patterns treat `[` and `]` as plain characters. */
  literalBrackets?: boolean;
}

export type Matcher = (text: string) => boolean;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/**
 * Compile a glob: `*` matches any characters including `/`, `?` one character, `[abc]` / `[!a-z]` a class,
 * `{a,b}` alternatives, `\` escapes. A leading `!` negates the whole pattern. Unclosed `[` or `{` are literal.
 */
export function compileGlob(pattern: string, options: GlobOptions = {}): Matcher {
  const negated = pattern.startsWith("!");
  const body = negated ? pattern.slice(1) : pattern;
  const regex = new RegExp(`^${translate(body, options)}$`, "s");
  return negated ? (text) => !regex.test(text) : (text) => regex.test(text);
}

export function matchesGlob(pattern: string, text: string, options?: GlobOptions): boolean {
  return compileGlob(pattern, options)(text);
}

function translate(glob: string, options: GlobOptions): string {
  let out = "";
  let i = 0;
  while (i < glob.length) {
    const c = glob.charAt(i);
    if (c === "\\" && i + 1 < glob.length) {
      out += escapeRegExp(glob.charAt(i + 1));
      i += 2;
    } else if (c === "*") {
      while (glob[i] === "*") i++;
      out += ".*";
    } else if (c === "?") {
      out += ".";
      i++;
    } else if (c === "[" && !options.literalBrackets) {
      const end = classEnd(glob, i);
      if (end < 0) {
        out += "\\[";
        i++;
      } else {
        out += translateClass(glob.slice(i + 1, end));
        i = end + 1;
      }
    } else if (c === "{") {
      const end = braceEnd(glob, i);
      if (end < 0) {
        out += "\\{";
        i++;
      } else {
        out += `(?:${splitAlternatives(glob.slice(i + 1, end))
          .map((alt) => translate(alt, options))
          .join("|")})`;
        i = end + 1;
      }
    } else {
      out += escapeRegExp(c);
      i++;
    }
  }
  return out;
}

function classEnd(glob: string, start: number): number {
  let i = start + 1;
  if (glob[i] === "!" || glob[i] === "^") i++;
  if (glob[i] === "]") i++;
  for (; i < glob.length; i++) if (glob[i] === "]") return i;
  return -1;
}

function translateClass(inner: string): string {
  const negated = inner.startsWith("!") || inner.startsWith("^");
  const members = (negated ? inner.slice(1) : inner).replace(/[\\\]^[]/g, "\\$&");
  return `[${negated ? "^" : ""}${members}]`;
}

function braceEnd(glob: string, start: number): number {
  let depth = 0;
  for (let i = start; i < glob.length; i++) {
    if (glob[i] === "\\") i++;
    else if (glob[i] === "{") depth++;
    else if (glob[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

function splitAlternatives(inner: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === "\\" && i + 1 < inner.length) {
      current += c + inner[++i];
      continue;
    }
    if (c === "{") depth++;
    if (c === "}") depth--;
    if (c === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/**
 * Whether a glob list can match anything: lists are read as "any positive glob, and no negated one", so a list of
 * negations alone (`["!production"]`) matches nothing, which is never what its author meant.
 */
export const allowsSome = (patterns: readonly string[]): boolean => patterns.some((p) => !p.startsWith("!"));

/** The message for a list that fails allowsSome, with an example of what to write instead. */
export const exclusionsOnlyMessage = (example: string) =>
  `only exclusions allow nothing: start with the globs to allow, e.g. ${example}`;
