import type { Command, Operand, ParsedTemplate, Pipeline, TemplateNode } from "./ast.js";
import { faultAt, positionOf, TemplateFault } from "./errors.js";
import { FUNCTION_NAMES, lookupFunction } from "./functions.js";
import { goQuote } from "./gofmt.js";
import { lex, type Token } from "./lexer.js";
import { parseNumber } from "./literals.js";
import { closestName } from "./suggest.js";

export const MAX_TEMPLATE_BYTES = 64 * 1024;
export const MAX_PAREN_DEPTH = 50;

const CONTROL_WORDS = new Set([
  "if",
  "else",
  "end",
  "range",
  "with",
  "define",
  "template",
  "block",
  "break",
  "continue",
]);
const ENDS_COMMAND = new Set<Token["kind"]>(["pipe", "rparen", "close", "eof"]);

/** Parse a template into text, comments and actions. Unknown functions are found here, before evaluation. */
export function parseTemplate(source: string): ParsedTemplate {
  // Limits keep a hostile value from costing memory or overflowing the stack (parentheses recurse).
  if (source.length > MAX_TEMPLATE_BYTES / 3) {
    const bytes = Buffer.byteLength(source, "utf8");
    if (bytes > MAX_TEMPLATE_BYTES)
      throw new TemplateFault(`the template is ${bytes} bytes long (at most ${MAX_TEMPLATE_BYTES})`);
  }
  return { source, nodes: new Parser(source, lex(source)).parse() };
}

function describeToken(t: Token): string {
  switch (t.kind) {
    case "close":
      return '"}}"';
    case "pipe":
      return '"|"';
    case "lparen":
      return '"("';
    case "rparen":
      return '")"';
    case "eof":
      return "the end of the template";
    case "field":
      return `.${t.name}`;
    case "ident":
      return t.name;
    case "number":
      return t.text;
    case "string":
      return "a string";
    default:
      return t.kind;
  }
}

function describeOperand(op: Operand): string {
  if (op.kind === "variable") return `.${op.name}`;
  if (op.kind === "literal") return op.text;
  if (op.kind === "function") return op.name;
  return "a parenthesized pipeline";
}

class Parser {
  private i = 0;

  constructor(
    private readonly src: string,
    private readonly tokens: Token[],
  ) {}

  parse(): TemplateNode[] {
    const nodes: TemplateNode[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind === "eof") return nodes;
      if (t.kind === "text") nodes.push({ kind: "text", text: t.text });
      else if (t.kind === "comment") nodes.push({ kind: "comment", pos: t.pos });
      else nodes.push({ kind: "action", pipeline: this.parseAction(t.pos), pos: t.pos });
    }
  }

  /** The current token; past the end (never, the lexer ends with one) it is the end of the source. */
  private peek(): Token {
    return this.tokens[this.i] ?? { kind: "eof", pos: this.src.length };
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.i++;
    return t;
  }

  private skipSpace(): void {
    while (this.peek().kind === "space") this.i++;
  }

  private fault(pos: number, message: string): TemplateFault {
    return faultAt(this.src, pos, message);
  }

  private parseAction(open: number): Pipeline {
    this.skipSpace();
    if (this.peek().kind === "close")
      throw this.fault(open, "empty action {{ }}: expected a variable, a literal or a function call");
    const pipeline = this.parsePipeline(0);
    const t = this.next();
    if (t.kind === "rparen") throw this.fault(t.pos, 'unexpected ")" without a matching "("');
    if (t.kind !== "close") throw this.fault(t.pos, `expected "}}" to close the action, found ${describeToken(t)}`);
    return pipeline;
  }

  private parsePipeline(depth: number): Pipeline {
    const commands: Command[] = [];
    const pos = this.peek().pos;
    for (;;) {
      this.skipSpace();
      commands.push(this.parseCommand(depth, commands.length > 0));
      if (this.peek().kind !== "pipe") return { commands, pos };
      this.next();
      this.skipSpace();
      const t = this.peek();
      if (ENDS_COMMAND.has(t.kind))
        throw this.fault(t.pos, `expected a function call after "|", found ${describeToken(t)}`);
    }
  }

  private parseCommand(depth: number, piped: boolean): Command {
    const operands: Operand[] = [];
    const pos = this.peek().pos;
    for (;;) {
      const operand = this.parseOperand(depth);
      operands.push(operand);
      let t = this.peek();
      if (t.kind === "space") {
        this.skipSpace();
        t = this.peek();
        if (ENDS_COMMAND.has(t.kind)) break;
        continue;
      }
      if (ENDS_COMMAND.has(t.kind)) break;
      if (operand.kind === "function" && t.kind === "lparen") {
        throw this.fault(
          t.pos,
          `functions are called as "${operand.name} .X" or "${operand.name} (...)", with a space, not "${operand.name}(...)"`,
        );
      }
      throw this.fault(
        t.pos,
        `expected a space, "|" or "}}" after ${describeOperand(operand)}, found ${describeToken(t)}`,
      );
    }
    const [first, ...rest] = operands;
    if (!first) throw this.fault(pos, "expected a command");
    this.checkCommand(first, rest, piped);
    return { operands: [first, ...rest], pos };
  }

  /** Only a function takes arguments or a piped value, as in Go. */
  private checkCommand(first: Operand, rest: Operand[], piped: boolean): void {
    if (first.kind === "function") return;
    if (first.kind === "literal" && first.value === null)
      throw this.fault(first.pos, "nil is not a command; it can only be a function argument");
    const what = describeOperand(first);
    const [second] = rest;
    if (second) throw this.fault(second.pos, `${what} is not a function, so it takes no arguments`);
    if (piped) throw this.fault(first.pos, `cannot pipe into ${what}: only a function call takes the value before "|"`);
  }

  private parseOperand(depth: number): Operand {
    const t = this.next();
    switch (t.kind) {
      case "field":
        return { kind: "variable", name: t.name, pos: t.pos };
      case "string":
        return {
          kind: "literal",
          value: t.value,
          text: goQuote(t.value.length > 30 ? `${t.value.slice(0, 30)}...` : t.value),
          pos: t.pos,
        };
      case "number":
        return { kind: "literal", value: parseNumber(this.src, t.text, t.pos), text: t.text, pos: t.pos };
      case "ident":
        return this.identOperand(t.name, t.pos);
      case "lparen":
        return this.parseGroup(depth, t.pos);
      default:
        throw this.fault(t.pos, `expected a variable, a literal, a function or "(", found ${describeToken(t)}`);
    }
  }

  private parseGroup(depth: number, open: number): Operand {
    if (depth + 1 > MAX_PAREN_DEPTH)
      throw this.fault(open, `parentheses are nested deeper than ${MAX_PAREN_DEPTH} levels`);
    this.skipSpace();
    if (this.peek().kind === "rparen")
      throw this.fault(open, 'empty parentheses "()": expected a function call or a value inside');
    const pipeline = this.parsePipeline(depth + 1);
    const t = this.next();
    if (t.kind !== "rparen") {
      throw this.fault(
        t.pos,
        `expected ")" to close the "(" at ${positionOf(this.src, open)}, found ${describeToken(t)}`,
      );
    }
    return { kind: "group", pipeline, pos: open };
  }

  private identOperand(name: string, pos: number): Operand {
    if (name === "true" || name === "false") return { kind: "literal", value: name === "true", text: name, pos };
    if (name === "nil") return { kind: "literal", value: null, text: name, pos };
    if (CONTROL_WORDS.has(name)) {
      throw this.fault(
        pos,
        `"${name}" is not supported in Gimlet templates: there is no control flow (if, else, range, with, define, template, block, end); ` +
          'compute values with functions and pipelines instead, e.g. {{ .TAG | default "latest" }}',
      );
    }
    if (lookupFunction(name)) return { kind: "function", name, pos };
    const guess = closestName(name, FUNCTION_NAMES);
    throw this.fault(
      pos,
      `unknown function "${name}"${guess ? ` (did you mean ${guess}?)` : ""}; known functions: ${FUNCTION_NAMES.join(", ")}`,
    );
  }
}
