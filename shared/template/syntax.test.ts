import { describe, expect, test } from "@jest/globals";
import { renderString, TemplateError } from "./index.js";

const VARS = { APP: "web", SHA: "abc" };

function messageOf(template: string): string {
  try {
    renderString(template, VARS, { file: "f.yaml", path: "values.x" });
  } catch (error) {
    if (error instanceof TemplateError) return error.message;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(template)} to fail`);
}

describe("unsupported Go template constructs say so", () => {
  test.each([
    ["{{ if .APP }}x{{ end }}", 'column 4: "if" is not supported in Gimlet templates'],
    ["{{ range .APP }}", '"range" is not supported in Gimlet templates'],
    ["{{ with .APP }}", '"with" is not supported'],
    ['{{ define "x" }}', '"define" is not supported'],
    ['{{ template "x" }}', '"template" is not supported'],
    ['{{ block "x" .APP }}', '"block" is not supported'],
    ["{{ end }}", '"end" is not supported'],
    ["{{ $x := .APP }}", "column 4: template variables ($name, :=) are not supported in Gimlet templates"],
    ["{{ $ }}", "template variables"],
    ["{{ .A.B }}", "column 4: field chains like .A.B are not supported in Gimlet templates"],
    ["{{ .Values.image.tag }}", "field chains like .Values.image.tag are not supported"],
    ["{{ . }}", 'column 4: the bare dot "." is not supported in Gimlet templates'],
    ["{{ 'a' }}", "character constants ('a') are not supported"],
    ["{{ x = 1 }}", "column 6: assignments (:=, =) are not supported"],
    ["{{ = }}", "assignments (:=, =) are not supported"],
  ])("%j", (template, message) => {
    expect(messageOf(template)).toContain(message);
  });
});

describe("syntax errors say what was expected and where", () => {
  test.each([
    ["{{ }}", "column 1: empty action {{ }}: expected a variable, a literal or a function call"],
    ["{{-  -}}", "column 1: empty action"],
    ["{{ .SHA", 'column 1: unclosed action: expected "}}"'],
    ["ab {{ .SHA | }}", 'column 14: expected a function call after "|", found "}}"'],
    ["{{ | upper }}", 'column 4: expected a variable, a literal, a function or "(", found "|"'],
    ["{{ .SHA || upper }}", 'column 10: expected a function call after "|", found "|"'],
    ["{{ (upper .SHA }}", 'column 16: expected ")" to close the "(" at column 4, found "}}"'],
    ["{{ upper .SHA) }}", 'column 14: unexpected ")" without a matching "("'],
    ["{{ () }}", 'column 4: empty parentheses "()"'],
    ["{{ .SHA.}}", 'the bare dot "."'],
    ['{{ printf"%s" .SHA }}', 'column 10: expected a space, "|" or "}}" after printf, found a string'],
    [
      "{{ upper(.SHA) }}",
      'column 9: functions are called as "upper .X" or "upper (...)", with a space, not "upper(...)"',
    ],
    ["{{ .SHA .APP }}", "column 9: .SHA is not a function, so it takes no arguments"],
    ['{{ "a" "b" }}', 'column 8: "a" is not a function, so it takes no arguments'],
    ["{{ .SHA | .APP }}", 'column 11: cannot pipe into .APP: only a function call takes the value before "|"'],
    ['{{ .SHA | "x" }}', 'cannot pipe into "x"'],
    ["{{ nil }}", "column 4: nil is not a command"],
    ["{{ .SHA ^ }}", 'column 9: unexpected character "^" in action'],
    ["{{ - }}", 'unexpected character "-"'],
    ["x\ny {{ .SHA | }}", 'line 2, column 13: expected a function call after "|"'],
    ["é {{ | }}", "column 6:"],
  ])("%j → %s", (template, message) => {
    expect(messageOf(template)).toContain(message);
    expect(messageOf(template).startsWith("f.yaml: values.x: ")).toBe(true);
  });

  test("columns count characters, not UTF-16 units", () => {
    expect(messageOf("😀😀 {{ | }}")).toContain("column 7:");
  });
});

describe("abuse guards", () => {
  test("a template over 64 KiB is refused", () => {
    const big = `{{ .SHA }}${"x".repeat(64 * 1024)}`;
    expect(messageOf(big)).toContain(`the template is ${big.length} bytes long (at most 65536)`);
  });

  test("the size limit counts UTF-8 bytes", () => {
    const big = `{{ .SHA }}${"é".repeat(33 * 1024)}`;
    expect(messageOf(big)).toContain("bytes long (at most 65536)");
    expect(renderString(`{{ .SHA }}${"é".repeat(32 * 1024 - 10)}`, VARS)).toHaveLength(3 + 32 * 1024 - 10);
  });

  test("50 nested parentheses work, 51 are refused without a stack overflow", () => {
    const nest = (n: number) => `{{ ${"(".repeat(n)}.SHA${")".repeat(n)} }}`;
    expect(renderString(nest(50), VARS)).toBe("abc");
    expect(messageOf(nest(51))).toContain("column 54: parentheses are nested deeper than 50 levels");
    expect(messageOf(nest(30000))).toContain("parentheses are nested deeper than 50 levels");
  });

  test("long pipelines and many actions are fine", () => {
    expect(renderString(`{{ .SHA${" | upper".repeat(1000)} }}`, VARS)).toBe("ABC");
    expect(renderString("{{ .SHA }}".repeat(5000), VARS)).toHaveLength(15000);
  });

  test("output that would explode is refused", () => {
    const vars = { BIG: "x".repeat(60000) };
    expect(() => renderString('{{ replace "" .BIG .BIG }}', vars)).toThrow("replace: the result would be");
    expect(() => renderString("{{ .BIG }}".repeat(20), vars)).toThrow(
      "the rendered text is longer than 1048576 characters",
    );
    expect(() => renderString('{{ printf "%1001s" "x" }}', vars)).toThrow(
      "printf: width or precision 1001 is too large (at most 1000)",
    );
  });
});
