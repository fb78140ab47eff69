import { faultAt } from "./errors.js";
import { unquoteString } from "./literals.js";

/**
 * Tokens of a template. Text and comments sit between actions; an action is `open`, its tokens, `close`.
 * Trim markers (`{{- ` and ` -}}`) are applied here, to the neighbouring text, as Go's lexer does.
 */
export type Token =
  | { kind: "text"; text: string; pos: number }
  | { kind: "comment"; pos: number }
  | { kind: "open" | "close" | "space" | "pipe" | "lparen" | "rparen" | "eof"; pos: number }
  | { kind: "field" | "ident"; name: string; pos: number }
  | { kind: "string"; value: string; pos: number }
  | { kind: "number"; text: string; pos: number };

const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\n";
const IDENT_START = /^[\p{L}_]$/u;
const IDENT_PART = /^[\p{L}\p{N}_]$/u;
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

function trimEndSpace(text: string): string {
  let end = text.length;
  while (end > 0 && isSpace(text[end - 1])) end--;
  return text.slice(0, end);
}

function trimStartSpace(text: string): string {
  let start = 0;
  while (start < text.length && isSpace(text[start])) start++;
  return text.slice(start);
}

export function lex(source: string): Token[] {
  return new Lexer(source).run();
}

class Lexer {
  private readonly tokens: Token[] = [];
  private pos = 0;
  private trimNextText = false;

  constructor(private readonly src: string) {}

  run(): Token[] {
    while (this.pos < this.src.length) {
      const open = this.src.indexOf("{{", this.pos);
      const end = open < 0 ? this.src.length : open;
      const leftTrim = open >= 0 && this.src[open + 2] === "-" && isSpace(this.src[open + 3]);
      let text = this.src.slice(this.pos, end);
      if (this.trimNextText) text = trimStartSpace(text);
      if (leftTrim) text = trimEndSpace(text);
      this.trimNextText = false;
      if (text) this.tokens.push({ kind: "text", text, pos: this.pos });
      if (open < 0) break;
      this.pos = open + (leftTrim ? 4 : 2);
      if (this.src.startsWith("/*", this.pos)) this.lexComment(open);
      else this.lexAction(open);
    }
    this.tokens.push({ kind: "eof", pos: this.src.length });
    return this.tokens;
  }

  private lexComment(open: number): void {
    const end = this.src.indexOf("*/", this.pos + 2);
    if (end < 0) throw faultAt(this.src, open, 'unclosed comment: expected "*/}}"');
    const after = end + 2;
    if (this.atRightTrim(after)) {
      this.trimNextText = true;
      this.pos = after + 4;
    } else if (this.src.startsWith("}}", after)) {
      this.pos = after + 2;
    } else {
      throw faultAt(this.src, after, 'expected "}}" right after the end of the comment "*/"');
    }
    this.tokens.push({ kind: "comment", pos: open });
  }

  private atRightTrim(i: number): boolean {
    return isSpace(this.src[i]) && this.src[i + 1] === "-" && this.src.startsWith("}}", i + 2);
  }

  private push(kind: "open" | "close" | "space" | "pipe" | "lparen" | "rparen", pos: number): void {
    this.tokens.push({ kind, pos });
  }

  private lexAction(open: number): void {
    this.push("open", open);
    for (;;) {
      const start = this.pos;
      const c = this.src[start];
      if (this.atRightTrim(start)) {
        this.push("close", start + 1);
        this.trimNextText = true;
        this.pos = start + 4;
        return;
      }
      if (this.src.startsWith("}}", start)) {
        this.push("close", start);
        this.pos = start + 2;
        return;
      }
      if (c === undefined) throw faultAt(this.src, open, 'unclosed action: expected "}}"');
      if (isSpace(c)) {
        while (isSpace(this.src[this.pos]) && !this.atRightTrim(this.pos)) this.pos++;
        this.push("space", start);
      } else if (c === "|" || c === "(" || c === ")") {
        this.push(c === "|" ? "pipe" : c === "(" ? "lparen" : "rparen", start);
        this.pos++;
      } else if (c === '"') this.lexQuoted(start);
      else if (c === "`") this.lexRaw(start);
      else if (c === "." && this.isIdentStart(start + 1)) this.lexField(start);
      else if (isDigit(c) || ((c === "-" || c === "+" || c === ".") && this.startsNumber(start + 1)))
        this.lexNumber(start);
      else if (this.isIdentStart(start)) this.tokens.push({ kind: "ident", name: this.readIdent(start), pos: start });
      else throw this.unexpected(start);
    }
  }

  private unexpected(at: number): Error {
    const rest = this.src.slice(at);
    const c = String.fromCodePoint(rest.codePointAt(0) ?? 0);
    if (c === ".")
      return faultAt(
        this.src,
        at,
        'the bare dot "." is not supported in Gimlet templates; use a variable such as .SHA',
      );
    if (c === "$")
      return faultAt(this.src, at, "template variables ($name, :=) are not supported in Gimlet templates; use .NAME");
    if (rest.startsWith(":=") || c === "=")
      return faultAt(this.src, at, "assignments (:=, =) are not supported in Gimlet templates");
    if (c === "'")
      return faultAt(
        this.src,
        at,
        "character constants ('a') are not supported in Gimlet templates; use a double-quoted string",
      );
    if (rest.startsWith("/*"))
      return faultAt(this.src, at, "a comment must fill its action: write {{/* ... */}} with no space before /*");
    return faultAt(this.src, at, `unexpected character "${c}" in action`);
  }

  private isIdentStart(i: number): boolean {
    const cp = this.src.codePointAt(i);
    return cp !== undefined && IDENT_START.test(String.fromCodePoint(cp));
  }

  private startsNumber(i: number): boolean {
    return isDigit(this.src[i]) || (this.src[i] === "." && isDigit(this.src[i + 1]));
  }

  private readIdent(start: number): string {
    let i = start;
    for (;;) {
      const cp = this.src.codePointAt(i);
      if (cp === undefined) break;
      const ch = String.fromCodePoint(cp);
      if (!IDENT_PART.test(ch)) break;
      i += ch.length;
    }
    this.pos = i;
    return this.src.slice(start, i);
  }

  private lexField(start: number): void {
    const name = this.readIdent(start + 1);
    if (this.src[this.pos] === "." && this.isIdentStart(this.pos + 1)) {
      throw faultAt(
        this.src,
        start,
        `field chains like .${name}${this.src.slice(this.pos).match(/^[.\p{L}\p{N}_]+/u)?.[0]} are not supported in Gimlet templates; variables are flat: .NAME`,
      );
    }
    this.tokens.push({ kind: "field", name, pos: start });
  }

  private lexNumber(start: number): void {
    let i = start + 1;
    // Take the whole run (like Go) so that `12ab` or `1.2.3` is one bad number, not two tokens.
    while (i < this.src.length) {
      const c = this.src.charAt(i);
      if (/[0-9A-Za-z_.]/.test(c)) i++;
      else if ((c === "+" || c === "-") && /[eE]/.test(this.src.charAt(i - 1))) i++;
      else break;
    }
    this.tokens.push({ kind: "number", text: this.src.slice(start, i), pos: start });
    this.pos = i;
  }

  private lexQuoted(start: number): void {
    let i = start + 1;
    for (;;) {
      const c = this.src[i];
      if (c === undefined || c === "\n") throw faultAt(this.src, start, "unterminated string: expected a closing '\"'");
      if (c === '"') break;
      i += c === "\\" ? 2 : 1;
    }
    const value = unquoteString(this.src, this.src.slice(start + 1, i), start + 1);
    this.tokens.push({ kind: "string", value, pos: start });
    this.pos = i + 1;
  }

  private lexRaw(start: number): void {
    const end = this.src.indexOf("`", start + 1);
    if (end < 0) throw faultAt(this.src, start, "unterminated raw string: expected a closing '`'");
    // Go drops carriage returns from raw strings.
    this.tokens.push({ kind: "string", value: this.src.slice(start + 1, end).replaceAll("\r", ""), pos: start });
    this.pos = end + 1;
  }
}
