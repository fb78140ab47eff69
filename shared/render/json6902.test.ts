import { describe, expect, test } from "@jest/globals";
import { applyJsonPatch, JsonPatchError, type JsonPatchOperation } from "./index.js";

// The examples of RFC 6902 appendix A, plus pointer escaping (RFC 6901).
const ok: Array<[string, unknown, JsonPatchOperation[], unknown]> = [
  ["A.1 add an object member", { foo: "bar" }, [{ op: "add", path: "/baz", value: "qux" }], { baz: "qux", foo: "bar" }],
  [
    "A.2 add an array element",
    { foo: ["bar", "baz"] },
    [{ op: "add", path: "/foo/1", value: "qux" }],
    { foo: ["bar", "qux", "baz"] },
  ],
  ["A.3 remove an object member", { baz: "qux", foo: "bar" }, [{ op: "remove", path: "/baz" }], { foo: "bar" }],
  [
    "A.4 remove an array element",
    { foo: ["bar", "qux", "baz"] },
    [{ op: "remove", path: "/foo/1" }],
    { foo: ["bar", "baz"] },
  ],
  [
    "A.5 replace a value",
    { baz: "qux", foo: "bar" },
    [{ op: "replace", path: "/baz", value: "boo" }],
    { baz: "boo", foo: "bar" },
  ],
  [
    "A.6 move a value",
    { foo: { bar: "baz", waldo: "fred" }, qux: { corge: "grault" } },
    [{ op: "move", from: "/foo/waldo", path: "/qux/thud" }],
    { foo: { bar: "baz" }, qux: { corge: "grault", thud: "fred" } },
  ],
  [
    "A.7 move an array element",
    { foo: ["all", "grass", "cows", "eat"] },
    [{ op: "move", from: "/foo/1", path: "/foo/3" }],
    { foo: ["all", "cows", "eat", "grass"] },
  ],
  [
    "A.8 test a value: success",
    { baz: "qux", foo: ["a", 2, "c"] },
    [
      { op: "test", path: "/baz", value: "qux" },
      { op: "test", path: "/foo/1", value: 2 },
    ],
    { baz: "qux", foo: ["a", 2, "c"] },
  ],
  [
    "A.10 add a nested member object",
    { foo: "bar" },
    [{ op: "add", path: "/child", value: { grandchild: {} } }],
    { foo: "bar", child: { grandchild: {} } },
  ],
  ["A.14 ~ escape ordering", { "/": 9, "~1": 10 }, [{ op: "test", path: "/~01", value: 10 }], { "/": 9, "~1": 10 }],
  [
    "A.16 add an array value",
    { foo: ["bar"] },
    [{ op: "add", path: "/foo/-", value: ["abc", "def"] }],
    { foo: ["bar", ["abc", "def"]] },
  ],
  [
    "~1 addresses a key with a slash",
    { a: {} },
    [{ op: "add", path: "/a/example.com~1team", value: "x" }],
    { a: { "example.com/team": "x" } },
  ],
  ["~0 addresses a key with a tilde", { "a~b": 1 }, [{ op: "replace", path: "/a~0b", value: 2 }], { "a~b": 2 }],
  ["an empty path replaces the document", { a: 1 }, [{ op: "replace", path: "", value: { b: 2 } }], { b: 2 }],
  [
    "copy deep-copies",
    { a: { b: [1] } },
    [
      { op: "copy", from: "/a", path: "/c" },
      { op: "add", path: "/c/b/-", value: 2 },
    ],
    { a: { b: [1] }, c: { b: [1, 2] } },
  ],
  [
    "test compares objects regardless of key order",
    { a: { x: 1, y: [1, { z: 2 }] } },
    [{ op: "test", path: "/a", value: { y: [1, { z: 2 }], x: 1 } }],
    { a: { x: 1, y: [1, { z: 2 }] } },
  ],
  ["add to the end by index", { a: [1] }, [{ op: "add", path: "/a/1", value: 2 }], { a: [1, 2] }],
];

const failing: Array<[string, unknown, JsonPatchOperation[], number, string]> = [
  [
    "A.9 test a value: error",
    { baz: "qux" },
    [{ op: "test", path: "/baz", value: "bar" }],
    0,
    'test failed at "/baz": expected "bar", found "qux"',
  ],
  [
    "A.12 add to a nonexistent target",
    { foo: "bar" },
    [{ op: "add", path: "/baz/bat", value: "qux" }],
    0,
    '"/baz/bat": path does not exist',
  ],
  [
    "A.15 comparing strings and numbers",
    { "/": 9, "~1": 10 },
    [{ op: "test", path: "/~01", value: "10" }],
    0,
    'test failed at "/~01": expected "10", found 10',
  ],
  [
    "remove a missing member",
    { a: 1 },
    [
      { op: "add", path: "/b", value: 1 },
      { op: "remove", path: "/c" },
    ],
    1,
    '"/c": path does not exist',
  ],
  ["replace a missing member", { a: 1 }, [{ op: "replace", path: "/b", value: 1 }], 0, '"/b": path does not exist'],
  [
    "an index past the end",
    { a: [1] },
    [{ op: "add", path: "/a/2", value: 1 }],
    0,
    '"/a/2": index 2 is out of bounds (the array has 1 items)',
  ],
  ["a leading zero index", { a: [1, 2] }, [{ op: "remove", path: "/a/01" }], 0, '"/a/01": "01" is not an array index'],
  ["- outside add", { a: [1] }, [{ op: "remove", path: "/a/-" }], 0, '"/a/-": "-" is not an array index'],
  [
    "a pointer without a leading slash",
    { a: 1 },
    [{ op: "remove", path: "a" }],
    0,
    '"a" is not a JSON pointer: it must be empty or start with /',
  ],
  [
    "a bad escape",
    { a: 1 },
    [{ op: "remove", path: "/a~2" }],
    0,
    '"/a~2" has an invalid escape: only ~0 and ~1 are allowed',
  ],
  [
    "move into its own child",
    { a: { b: 1 } },
    [{ op: "move", from: "/a", path: "/a/b/c" }],
    0,
    'can\'t move "/a" into its own child "/a/b/c"',
  ],
  ["add without a value", { a: 1 }, [{ op: "add", path: "/b" }], 0, "add needs a value"],
  ["copy without from", { a: 1 }, [{ op: "copy", path: "/b" }], 0, "copy needs from"],
];

describe("RFC 6902 JSON Patch", () => {
  test.each(ok)("%s", (_name, doc, operations, expected) => {
    const before = JSON.stringify(doc);
    expect(applyJsonPatch(doc, operations)).toEqual(expected);
    expect(JSON.stringify(doc)).toBe(before);
  });

  test.each(failing)("%s", (_name, doc, operations, index, message) => {
    let thrown: unknown;
    try {
      applyJsonPatch(doc, operations);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(JsonPatchError);
    expect((thrown as JsonPatchError).index).toBe(index);
    expect((thrown as JsonPatchError).message).toBe(message);
  });

  test("a failing patch leaves the input untouched", () => {
    const doc = { a: [1, 2] };
    expect(() =>
      applyJsonPatch(doc, [
        { op: "remove", path: "/a/0" },
        { op: "test", path: "/a/0", value: 9 },
      ]),
    ).toThrow(JsonPatchError);
    expect(doc).toEqual({ a: [1, 2] });
  });
});
