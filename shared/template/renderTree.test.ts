import { describe, expect, test } from "@jest/globals";
import { renderTree, TemplateError, type TreePath, type WantedType } from "./index.js";

const VARS = { APP: "web", SHA: "abc1234", REPLICAS: "3", DEBUG: "true", RATIO: "0.5", TAG: "1234", WORD: "abc" };

/** The schema of the test manifest: which paths want which type. */
const SCHEMA: Record<string, WantedType> = {
  "values.replicas": "integer",
  "values.debug": "boolean",
  "values.ratio": "number",
  "values.ports[].port": "integer",
};
const typeAt = (path: TreePath): WantedType | undefined =>
  SCHEMA[
    path
      .map((p) => (typeof p === "number" ? "[]" : p))
      .join(".")
      .replace(/\.\[\]/g, "[]")
  ];

function errorOf(run: () => unknown): TemplateError {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error("expected a TemplateError");
}

describe("renderTree walks plain objects and arrays", () => {
  test("renders every templated string, keeps keys and other values, and never mutates", () => {
    const input = {
      app: "{{ .APP }}",
      "{{ .KEY }}": "keys are not templated",
      values: {
        image: { repository: "ghcr.io/acme/{{ .APP }}", tag: "{{ .SHA }}" },
        replicas: 2,
        enabled: true,
        nothing: null,
        args: ["--sha={{ .SHA }}", 7, ["{{ .APP | upper }}"]],
      },
    };
    const snapshot = structuredClone(input);
    const output = renderTree(input, VARS);
    expect(output).toEqual({
      app: "web",
      "{{ .KEY }}": "keys are not templated",
      values: {
        image: { repository: "ghcr.io/acme/web", tag: "abc1234" },
        replicas: 2,
        enabled: true,
        nothing: null,
        args: ["--sha=abc1234", 7, ["WEB"]],
      },
    });
    expect(input).toEqual(snapshot);
    expect(output).not.toBe(input);
    expect((output as { values: unknown }).values).not.toBe(input.values);
  });

  test("scalars and strings without templates come back as they are", () => {
    expect(renderTree("plain", VARS)).toBe("plain");
    expect(renderTree(42, VARS)).toBe(42);
    expect(renderTree(null, VARS)).toBeNull();
    expect(renderTree(undefined, VARS)).toBeUndefined();
    expect(renderTree("{{ .APP }}", VARS)).toBe("web");
  });

  test("a __proto__ key stays an ordinary key", () => {
    const input = JSON.parse('{"__proto__": {"x": "{{ .APP }}"}}') as object;
    const output = renderTree(input, VARS) as Record<string, unknown>;
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(output, "__proto__")?.value).toEqual({ x: "web" });
  });

  test("objects that are not plain (Date, Map) are passed through", () => {
    const date = new Date(0);
    const map = new Map([["a", "{{ .APP }}"]]);
    const output = renderTree({ date, map }, VARS) as { date: Date; map: Map<string, string> };
    expect(output.date).toBe(date);
    expect(output.map).toBe(map);
  });

  test("a cyclic tree is an error, not a stack overflow", () => {
    const cyclic: Record<string, unknown> = { a: "x" };
    cyclic.self = cyclic;
    expect(errorOf(() => renderTree(cyclic, VARS, { path: "values" })).problems).toEqual([
      { path: "values.self", message: "the value refers to itself" },
    ]);
  });

  test("a very deep tree is an error, not a stack overflow", () => {
    let deep: unknown = "{{ .APP }}";
    for (let i = 0; i < 10000; i++) deep = [deep];
    expect(errorOf(() => renderTree(deep, VARS)).message).toContain("values are nested deeper than 100 levels");
  });
});

describe("typed results where the schema wants them", () => {
  const manifest = (values: Record<string, unknown>) => ({ values });
  const render = (values: Record<string, unknown>, withTypes = true) =>
    (renderTree(manifest(values), VARS, withTypes ? { typeAt } : {}) as { values: Record<string, unknown> }).values;

  test.each([
    ["integer", { replicas: "{{ .REPLICAS }}" }, { replicas: 3 }],
    ["integer from a literal", { replicas: "{{ 5 }}" }, { replicas: 5 }],
    ["negative integer", { replicas: '{{ printf "%d" -2 }}' }, { replicas: -2 }],
    ["boolean", { debug: "{{ .DEBUG }}" }, { debug: true }],
    ["boolean false", { debug: '{{ default false "" }}' }, { debug: false }],
    ["number", { ratio: "{{ .RATIO }}" }, { ratio: 0.5 }],
    ["number from an integer text", { ratio: "{{ .REPLICAS }}" }, { ratio: 3 }],
    ["with trim markers", { replicas: "{{- .REPLICAS -}}" }, { replicas: 3 }],
    [
      "inside arrays",
      { ports: [{ port: "{{ .TAG }}", name: "{{ .TAG }}" }] },
      { ports: [{ port: 1234, name: "1234" }] },
    ],
  ])("%s", (_name, values, expected) => {
    expect(render(values)).toEqual(expected);
  });

  test("no conversion without typeAt: an image tag of digits stays a string", () => {
    expect(render({ replicas: "{{ .REPLICAS }}", tag: "{{ .TAG }}" }, false)).toEqual({ replicas: "3", tag: "1234" });
  });

  test("no conversion where typeAt says nothing", () => {
    expect(render({ tag: "{{ .TAG }}", enabled: "{{ .DEBUG }}" })).toEqual({ tag: "1234", enabled: "true" });
  });

  test.each([
    ["text after the action", "{{ .REPLICAS }} ", "3 "],
    ["text before the action", "x{{ .REPLICAS }}", "x3"],
    ["two actions", "{{ .REPLICAS }}{{ .REPLICAS }}", "33"],
    ["a comment and an action", "{{/* n */}}{{ .REPLICAS }}", "3"],
  ])("no conversion when the string is more than one action: %s", (_name, template, expected) => {
    expect(render({ replicas: template })).toEqual({ replicas: expected });
  });

  test("typeAt is only asked about strings that are exactly one action, with the path inside the tree", () => {
    const asked: TreePath[] = [];
    renderTree({ a: ["{{ .APP }}", "x {{ .APP }}", "plain"], b: 1 }, VARS, {
      typeAt: (path) => {
        asked.push(path);
        return undefined;
      },
    });
    expect(asked).toEqual([["a", 0]]);
  });

  test.each([
    ["replicas", "{{ .WORD }}", 'values.replicas: expected an integer, the template rendered "abc"'],
    ["replicas", "{{ .RATIO }}", 'values.replicas: expected an integer, the template rendered "0.5"'],
    ["replicas", '{{ printf " %d" 3 }}', 'values.replicas: expected an integer, the template rendered " 3"'],
    [
      "replicas",
      '{{ "99999999999999999999" }}',
      'values.replicas: expected an integer, the template rendered "99999999999999999999"',
    ],
    ["debug", "{{ .REPLICAS }}", 'values.debug: expected a boolean (true or false), the template rendered "3"'],
    ["debug", '{{ "True" }}', 'values.debug: expected a boolean (true or false), the template rendered "True"'],
    ["ratio", "{{ .WORD }}", 'values.ratio: expected a number, the template rendered "abc"'],
  ])("a mismatch is an error: %s = %j", (key, template, message) => {
    const error = errorOf(() =>
      renderTree(manifest({ [key]: template }), VARS, { file: ".gimlet/staging.yaml", typeAt }),
    );
    expect(error.message).toContain(`.gimlet/staging.yaml: ${message}`);
  });
});

describe("errors carry the dotted path of the value", () => {
  test("object keys and array indexes, under the file and the base path", () => {
    const error = errorOf(() =>
      renderTree({ ingress: { host: "{{ .HOST }}.acme.dev" }, ports: [{ name: "ok" }, { name: "{{ nope }}" }] }, VARS, {
        file: ".gimlet/staging.yaml",
        path: "values",
      }),
    );
    expect(error.problems).toEqual([
      {
        path: ".gimlet/staging.yaml: values.ingress.host",
        message: expect.stringContaining("missing variable HOST (available: APP, DEBUG,"),
      },
      {
        path: ".gimlet/staging.yaml: values.ports[1].name",
        message: expect.stringContaining('column 4: unknown function "nope"'),
      },
    ]);
    expect(error.message.split("\n")).toHaveLength(2);
  });

  test("without a base path, the path starts at the root; an array root starts with an index", () => {
    expect(errorOf(() => renderTree({ a: { b: "{{ .X }}" } }, VARS)).problems[0]!.path).toBe("a.b");
    expect(errorOf(() => renderTree(["ok", "{{ .X }}"], VARS)).problems[0]!.path).toBe("[1]");
    expect(errorOf(() => renderTree(["{{ .X }}"], VARS, { path: "manifests" })).problems[0]!.path).toBe("manifests[0]");
    expect(errorOf(() => renderTree("{{ .X }}", VARS, { path: "app", file: "f.yaml" })).problems[0]!.path).toBe(
      "f.yaml: app",
    );
  });

  test("every problem in the tree is reported at once", () => {
    const error = errorOf(() => renderTree({ a: "{{ .A }}", b: ["{{ .B }}"], c: { d: "{{ if }}" } }, VARS));
    expect(error.problems.map((p) => p.path)).toEqual(["a", "b[0]", "c.d"]);
  });
});
