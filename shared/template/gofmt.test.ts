import { describe, expect, test } from "@jest/globals";
import { formatGoFloat, goQuote } from "./gofmt.js";
import { closestName, listNames } from "./suggest.js";

describe("goQuote (strconv.Quote)", () => {
  test.each([
    ["", '""'],
    ["plain", '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ["\x07\b\f\n\r\t\v", '"\\a\\b\\f\\n\\r\\t\\v"'],
    ["\x00\x1f\x7f", '"\\x00\\x1f\\x7f"'],
    ["é😀", '"é😀"'],
    ["\u00a0\u200b", '"\\u00a0\\u200b"'],
    ["\u{e0001}", '"\\U000e0001"'],
    ["\ud800", '"\\ufffd"'],
  ])("%j → %s", (input, expected) => {
    expect(goQuote(input)).toBe(expected);
  });
});

describe("formatGoFloat (fmt %v of a float64)", () => {
  test.each([
    [0, "0"],
    [-0, "-0"],
    [2.5, "2.5"],
    [-2.5, "-2.5"],
    [3, "3"],
    [123456, "123456"],
    [1234567, "1.234567e+06"],
    [1e21, "1e+21"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1.5e-7, "1.5e-07"],
    [0.1 + 0.2, "0.30000000000000004"],
    [Infinity, "+Inf"],
    [-Infinity, "-Inf"],
    [NaN, "NaN"],
  ])("%p → %s", (input, expected) => {
    expect(formatGoFloat(input)).toBe(expected);
  });
});

describe("suggestions", () => {
  test.each([
    ["branch", ["APP", "BRANCH"], "BRANCH"],
    ["SAH", ["SHA", "APP"], "SHA"],
    ["BRANH", ["BRANCH", "SHA"], "BRANCH"],
    ["XYZ", ["SHA", "APP"], undefined],
    ["lowr", ["lower", "upper"], "lower"],
  ])("%s in %j → %s", (name, candidates, expected) => {
    expect(closestName(name, candidates)).toBe(expected);
  });

  test("listNames shortens long lists", () => {
    expect(listNames(["A", "B"])).toBe("A, B");
    expect(listNames(["A", "B", "C", "D"], 2)).toBe("A, B, ... and 2 more");
  });
});
