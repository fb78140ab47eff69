import { describe, expect, test } from "@jest/globals";
import { ConfigError } from "../errors.js";
import { hasTemplate, renderString, TemplateError } from "./index.js";

const VARS = {
  APP: "web",
  BRANCH: "Feature/Login_Form",
  ENV: "staging",
  REPO: "acme/web",
  SHA: "0123456789abcdef",
  EMPTY: "",
};

const render = (template: string, vars: Record<string, string> = VARS) => renderString(template, vars);

/** The TemplateError a template raises (fails the test if it renders). */
function errorOf(template: string, ctx?: { file?: string; path?: string }): TemplateError {
  try {
    renderString(template, VARS, ctx);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(template)} to fail`);
}

describe("hasTemplate", () => {
  test.each([
    ["plain", false],
    ["}} only", false],
    ["{ {", false],
    ["a {{ .X }}", true],
    ["{{", true],
  ])("%j → %j", (text, expected) => {
    expect(hasTemplate(text)).toBe(expected);
  });
});

describe("renderString: text, variables, pipelines, calls", () => {
  test.each([
    ["no template at all", "no template at all"],
    ["{{ .SHA }}", "0123456789abcdef"],
    ["{{.SHA}}", "0123456789abcdef"],
    ["sha-{{ .SHA }}-{{ .ENV }}", "sha-0123456789abcdef-staging"],
    ["{{ .EMPTY }}", ""],
    ["{{ .BRANCH | sanitizeDNSName }}", "feature-login-form"],
    ["{{ .BRANCH | lower | trunc 7 }}", "feature"],
    ['{{ printf "app-%s" .BRANCH | trunc 10 }}', "app-Featur"],
    ['{{ printf "%s-%s" .APP .ENV }}', "web-staging"],
    ["{{ trunc 10 (lower .BRANCH) }}", "feature/lo"],
    ['{{ upper (trunc 3 (lower (printf "%s" .APP))) }}', "WEB"],
    ["{{ ( .APP ) }}", "web"],
    ['{{ (printf "%s" .APP | upper) | lower }}', "web"],
    ["{{\n  .APP\n  | upper\n}}", "WEB"],
    ["{{ .APP }}}", "web}"],
    ['{{ "}}" }}', "}}"],
    ['literal braces: {{ "{{" }} .Release.Name }}', "literal braces: {{ .Release.Name }}"],
  ])("%j → %j", (template, expected) => {
    expect(render(template)).toBe(expected);
  });

  test("the piped value is the last argument", () => {
    expect(render('{{ "b" | printf "%s-%s" "a" }}')).toBe("a-b");
    expect(render('{{ "x/y" | replace "/" "-" }}')).toBe("x-y");
  });

  test("variables are looked up by exact key, own keys only", () => {
    expect(render("{{ .a }}{{ .A }}", { a: "lower", A: "upper" })).toBe("lowerupper");
    expect(() => render("{{ .constructor }}", {})).toThrow("missing variable constructor");
    expect(() => render("{{ .toString }}", {})).toThrow(TemplateError);
  });

  test("variable names may hold digits, underscores and letters beyond ASCII", () => {
    expect(render("{{ .PR_NUMBER2 }} {{ .Größe }}", { PR_NUMBER2: "7", Größe: "xl" })).toBe("7 xl");
  });
});

describe("literals", () => {
  test.each([
    ['{{ "plain" }}', "plain"],
    ['{{ "tab\\tnewline\\nquote\\"backslash\\\\" }}', 'tab\tnewline\nquote"backslash\\'],
    ['{{ "\\u00e9\\U0001F600\\x41\\101\\a\\b\\f\\r\\v" }}', "é😀AA\x07\b\f\r\v"],
    ['{{ `raw \\n {{ }} "x"` }}', 'raw \\n {{ }} "x"'],
    ["{{ `multi\r\nline` }}", "multi\nline"],
    ["{{ 42 }}", "42"],
    ["{{ -7 }}", "-7"],
    ["{{ +7 }}", "7"],
    ["{{ -0 }}", "0"],
    ["{{ 2.5 }}", "2.5"],
    ["{{ -.5 }}", "-0.5"],
    ["{{ 3.0 }}", "3"],
    ["{{ 1e3 }}", "1000"],
    ["{{ 1234567.0 }}", "1.234567e+06"],
    ["{{ 0.00001 }}", "1e-05"],
    ["{{ true }} {{ false }}", "true false"],
  ])("%j → %j", (template, expected) => {
    expect(render(template)).toBe(expected);
  });

  test.each([
    ['{{ "\\q" }}', 'column 5: invalid escape "\\q"'],
    ['{{ "\\u12" }}', "invalid escape \\u: expected 4 hex digits"],
    ['{{ "\\xff" }}', "byte escape \\xff is above \\x7f"],
    ['{{ "\\ud800" }}', "is not a valid Unicode character"],
    ['{{ "open }}', "column 4: unterminated string"],
    ['{{ "line\nbreak" }}', "unterminated string"],
    ["{{ `open }}", "unterminated raw string"],
    ["{{ 1.2.3 }}", 'bad number syntax "1.2.3"'],
    ["{{ 0x1F }}", 'bad number syntax "0x1F"'],
    ["{{ 12ab }}", 'bad number syntax "12ab"'],
    ["{{ 99999999999999999999 }}", "integer 99999999999999999999 is out of range"],
    ["{{ 1e999 }}", "number 1e999 is out of range"],
  ])("%j fails: %s", (template, message) => {
    expect(errorOf(template).message).toContain(message);
  });
});

describe("trim markers and comments", () => {
  test.each([
    ["a  {{- .APP }}  b", "aweb  b"],
    ["a  {{ .APP -}}  b", "a  webb"],
    ["a \n\t {{- .APP -}} \r\n b", "awebb"],
    ["{{- .APP -}}", "web"],
    ["x {{-3}} y", "x -3 y"],
    ["x {{ 3 -}} y", "x 3y"],
    ["a{{/* a comment */}}b", "ab"],
    ["a {{- /* trimmed comment */ -}} b", "ab"],
    ["a{{/* spans\nlines and has }} in it */}}b", "ab"],
    ["{{/* only a comment */}}", ""],
  ])("%j → %j", (template, expected) => {
    expect(render(template)).toBe(expected);
  });

  test.each([
    ["a {{/* never closed }}", 'unclosed comment: expected "*/}}"'],
    ["a {{/* x */ }}", 'column 12: expected "}}" right after the end of the comment'],
    ["a {{ /* x */ }}", "column 6: a comment must fill its action"],
  ])("%j fails: %s", (template, message) => {
    expect(errorOf(template).message).toContain(message);
  });
});

describe("errors carry the location and say what is wrong", () => {
  test("a missing variable names the variable, the file and the value path, and lists what exists", () => {
    const error = errorOf("{{ .TAG }}", { file: ".gimlet/production.yaml", path: "values.image.tag" });
    expect(error).toBeInstanceOf(TemplateError);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe("config_invalid");
    expect(error.problems).toEqual([
      {
        path: ".gimlet/production.yaml: values.image.tag",
        message: "missing variable TAG (available: APP, BRANCH, EMPTY, ENV, REPO, SHA)",
      },
    ]);
    expect(error.message).toBe(
      ".gimlet/production.yaml: values.image.tag: missing variable TAG (available: APP, BRANCH, EMPTY, ENV, REPO, SHA)",
    );
  });

  test("a near miss gets a suggestion", () => {
    expect(errorOf("{{ .branch }}").message).toContain("missing variable branch (did you mean .BRANCH? available:");
    expect(errorOf("{{ .SAH }}").message).toContain("did you mean .SHA?");
  });

  test("with no variables at all the message says so", () => {
    expect(() => renderString("{{ .X }}", {})).toThrow("missing variable X (no variables are defined)");
  });

  test("a long variable list is shortened", () => {
    const vars = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`V${String(i).padStart(2, "0")}`, "x"]));
    expect(() => renderString("{{ .NOPE }}", vars)).toThrow("V24, ... and 15 more)");
  });

  test("only the file, only the path, or neither", () => {
    expect(errorOf("{{ .X }}", { file: "f.yaml" }).problems[0]!.path).toBe("f.yaml");
    expect(errorOf("{{ .X }}", { path: "app" }).problems[0]!.path).toBe("app");
    expect(errorOf("{{ .X }}").problems[0]!.path).toBe("");
  });

  test("an unknown function is named, with a suggestion and the known functions", () => {
    const message = errorOf("{{ .APP | lowercase }}").message;
    expect(message).toContain('column 11: unknown function "lowercase"');
    expect(message).toContain(
      "known functions: default, lower, printf, quote, replace, sanitizeDNSName, sha256sum, trimPrefix, trimSuffix, trunc, upper",
    );
    expect(errorOf("{{ lowr .APP }}").message).toContain("(did you mean lower?)");
  });

  test("an unknown function is an error even in an argument position", () => {
    expect(errorOf('{{ printf "%s" (nope .APP) }}').message).toContain('column 17: unknown function "nope"');
  });
});
