import { createHash } from "node:crypto";
import { describe, expect, test } from "@jest/globals";
import { renderString } from "./index.js";

const VARS = { BRANCH: "Feature/Login_Form", SHA: "0123456789abcdef", EMPTY: "", EMOJI: "a😀b😀c", N: "12" };
const render = (template: string) => renderString(template, VARS);

describe("sanitizeDNSName, lower, upper", () => {
  test.each([
    ["{{ sanitizeDNSName .BRANCH }}", "feature-login-form"],
    ["{{ .BRANCH | sanitizeDNSName }}", "feature-login-form"],
    ['{{ "--" | sanitizeDNSName }}', ""],
    ["{{ lower .BRANCH }}", "feature/login_form"],
    ["{{ upper .BRANCH }}", "FEATURE/LOGIN_FORM"],
    ['{{ upper "straße" }}', "STRASSE"],
    ['{{ lower "ÀÉÎ" }}', "àéî"],
  ])("%j → %j", (template, expected) => {
    expect(render(template)).toBe(expected);
  });
});

describe("trunc", () => {
  test.each([
    ["{{ trunc 5 .SHA }}", "01234"],
    ["{{ trunc 0 .SHA }}", ""],
    ["{{ trunc 100 .SHA }}", "0123456789abcdef"],
    ["{{ trunc -3 .SHA }}", "def"],
    ["{{ trunc -16 .SHA }}", "0123456789abcdef"],
    ["{{ trunc -100 .SHA }}", "0123456789abcdef"],
    ["{{ trunc 2 .EMPTY }}", ""],
    ["{{ trunc 2 .EMOJI }}", "a😀"],
    ["{{ trunc -2 .EMOJI }}", "😀c"],
    ["{{ .SHA | trunc 4 }}", "0123"],
  ])("%j → %j", (template, expected) => {
    expect(render(template)).toBe(expected);
  });

  test.each([
    ["{{ trunc .N .SHA }}", 'trunc: argument 1 (length) must be an integer, got string "12" (trunc length text)'],
    ["{{ trunc 2.5 .SHA }}", "trunc: argument 1 (length) must be an integer, got number 2.5"],
    ["{{ trunc 3 4 }}", "trunc: argument 2 (text) must be a string, got integer 4"],
    ["{{ trunc 3 }}", "trunc takes 2 arguments (trunc length text), got 1"],
    ["{{ .SHA | trunc }}", "trunc takes 2 arguments (trunc length text), got 1"],
    ["{{ trunc 1 2 3 }}", "trunc takes 2 arguments (trunc length text), got 3"],
  ])("%j fails: %s", (template, message) => {
    expect(() => render(template)).toThrow(message);
  });
});

describe("replace, trimPrefix, trimSuffix", () => {
  test.each([
    ['{{ replace "/" "-" .BRANCH }}', "Feature-Login_Form"],
    ['{{ .BRANCH | replace "o" "0" }}', "Feature/L0gin_F0rm"],
    ['{{ replace "x" "y" .SHA }}', "0123456789abcdef"],
    ['{{ replace "" "-" "ab😀" }}', "-a-b-😀-"],
    ['{{ replace "ab" "" "abcab" }}', "c"],
    ['{{ trimPrefix "refs/heads/" "refs/heads/main" }}', "main"],
    ['{{ trimPrefix "x" "main" }}', "main"],
    ['{{ trimPrefix "" "main" }}', "main"],
    ['{{ "v1.2.3" | trimPrefix "v" }}', "1.2.3"],
    ['{{ trimPrefix "v" "vv1" }}', "v1"],
    ['{{ trimSuffix ".git" "repo.git" }}', "repo"],
    ['{{ trimSuffix ".git" "repo" }}', "repo"],
    ['{{ trimSuffix "" "repo" }}', "repo"],
    ['{{ trimSuffix "o" "repoo" }}', "repo"],
  ])("%j → %j", (template, expected) => {
    expect(render(template)).toBe(expected);
  });

  test.each([
    ['{{ replace "a" .SHA }}', "replace takes 3 arguments (replace old new text), got 2"],
    ['{{ replace 1 "a" .SHA }}', "replace: argument 1 (old) must be a string, got integer 1"],
    ["{{ trimPrefix .SHA }}", "trimPrefix takes 2 arguments (trimPrefix prefix text), got 1"],
    ['{{ trimSuffix "x" true }}', "trimSuffix: argument 2 (text) must be a string, got boolean true"],
  ])("%j fails: %s", (template, message) => {
    expect(() => render(template)).toThrow(message);
  });
});

describe('default (sprig: empty means "", nil, false or 0)', () => {
  test.each([
    ['{{ default "latest" .EMPTY }}', "latest"],
    ['{{ .EMPTY | default "latest" }}', "latest"],
    ['{{ .SHA | default "latest" }}', "0123456789abcdef"],
    ['{{ default "d" nil }}', "d"],
    ['{{ default "d" false }}', "d"],
    ['{{ default "d" 0 }}', "d"],
    ['{{ default "d" 0.0 }}', "d"],
    ['{{ default "d" true }}', "true"],
    ['{{ default "d" 7 }}', "7"],
    ['{{ default "d" "0" }}', "0"],
    ["{{ default 3 .EMPTY }}", "3"],
  ])("%j → %j", (template, expected) => {
    expect(render(template)).toBe(expected);
  });

  test("needs exactly the default and the value", () => {
    expect(() => render('{{ default "x" }}')).toThrow("default takes 2 arguments (default default value), got 1");
    expect(() => render('{{ default "x" "y" "z" }}')).toThrow("got 3");
  });
});

describe("quote and sha256sum", () => {
  test.each([
    ["{{ quote .SHA }}", '"0123456789abcdef"'],
    ['{{ quote "say \\"hi\\"\\n" }}', '"say \\"hi\\"\\n"'],
    ["{{ .EMPTY | quote }}", '""'],
    ["{{ quote 5 }}", '"5"'],
    ['{{ quote "a" "b" }}', '"a" "b"'],
    ['{{ quote nil "b" }}', '"b"'],
    ["{{ sha256sum .EMPTY }}", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["{{ sha256sum .BRANCH | trunc 8 }}", createHash("sha256").update("Feature/Login_Form").digest("hex").slice(0, 8)],
    ['{{ sha256sum "é" }}', createHash("sha256").update(Buffer.from("é", "utf8")).digest("hex")],
  ])("%j → %j", (template, expected) => {
    expect(render(template)).toBe(expected);
  });

  test.each([
    ["{{ quote }}", "quote takes at least 1 argument (quote value values...), got 0"],
    ["{{ sha256sum 1 }}", "sha256sum: argument 1 (text) must be a string, got integer 1"],
    ["{{ sha256sum }}", "sha256sum takes 1 argument (sha256sum text), got 0"],
    ["{{ upper }}", "upper takes 1 argument (upper text), got 0"],
    ['{{ printf "%s" upper }}', "upper takes 1 argument (upper text), got 0"],
    ["{{ lower 1.5 }}", "lower: argument 1 (text) must be a string, got number 1.5"],
    ["{{ sanitizeDNSName nil }}", "sanitizeDNSName: argument 1 (text) must be a string, got nil"],
  ])("%j fails: %s", (template, message) => {
    expect(() => render(template)).toThrow(message);
  });
});

describe("printf", () => {
  test.each([
    ['{{ printf "plain" }}', "plain"],
    ['{{ printf "%s-%s" "a" .SHA }}', "a-0123456789abcdef"],
    ['{{ printf "%d|%d|%d" 42 -7 0 }}', "42|-7|0"],
    ['{{ printf "%v %v %v %v %v" "s" 3 2.5 true nil }}', "s 3 2.5 true <nil>"],
    ['{{ printf "%q" "a\\"b" }}', '"a\\"b"'],
    ['{{ printf "%x %X %x" "hi" 255 -255 }}', "6869 FF -ff"],
    ['{{ printf "100%%" }}', "100%"],
    ['{{ printf "%f %.2f %.0f" 2.5 3.14159 2 }}', "2.500000 3.14 2"],
    ['{{ printf "[%5s][%-5s][%.2s][%5.1s]" "ab" "ab" "abc" "xyz" }}', "[   ab][ab   ][ab][    x]"],
    ['{{ printf "[%4d][%-4d][%04d][%+d][% d][%05d]" 7 7 7 7 7 -7 }}', "[   7][7   ][0007][+7][ 7][-0007]"],
    ['{{ printf "[%3v][%6.2f]" "é" 1.5 }}', "[  é][  1.50]"],
    ['{{ printf "%s😀%s" "a" "b" }}', "a😀b"],
    ['{{ .SHA | printf "sha=%s" }}', "sha=0123456789abcdef"],
  ])("%j → %j", (template, expected) => {
    expect(render(template)).toBe(expected);
  });

  test.each([
    [
      '{{ printf "%s-%s" "a" }}',
      'printf: format "%s-%s" needs more arguments than the 1 given (nothing for %s at verb 2)',
    ],
    ['{{ printf "%s" "a" "b" }}', 'printf: format "%s" uses 1 argument but 2 were given'],
    ['{{ printf "%d" "x" }}', 'printf: %d needs an integer, got string "x"'],
    ['{{ printf "%d" 2.5 }}', "printf: %d needs an integer, got number 2.5"],
    ['{{ printf "%s" 5 }}', "printf: %s needs a string, got integer 5 (use %v for any value)"],
    ['{{ printf "%q" 5 }}', "printf: %q needs a string, got integer 5"],
    ['{{ printf "%x" true }}', "printf: %x needs a string or an integer, got boolean true"],
    ['{{ printf "%f" "1" }}', 'printf: %f needs a number, got string "1"'],
    ['{{ printf "%z" 1 }}', "printf: unsupported verb %z (supported: %s %v %d %q %x %X %f %%)"],
    ['{{ printf "abc%" }}', 'printf: format "abc%" ends with an incomplete verb "%"'],
    ['{{ printf "%[1]s" "a" }}', "printf: argument indexes (%[1]s) are not supported"],
    ['{{ printf "%*d" 3 1 }}', "printf: * widths are not supported"],
    ['{{ printf "%.5000s" "a" }}', "printf: width or precision 5000 is too large (at most 1000)"],
    ["{{ printf }}", "printf takes at least 1 argument (printf format args...), got 0"],
    ['{{ printf 1 "a" }}', "printf: argument 1 (format) must be a string, got integer 1"],
  ])("%j fails: %s", (template, message) => {
    expect(() => render(template)).toThrow(message);
  });
});
