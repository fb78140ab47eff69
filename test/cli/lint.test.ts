import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, test } from "@jest/globals";
import { exampleAppCopy, runGimlet } from "../helpers/cli.js";

let cwd: string;
beforeEach(() => {
  cwd = exampleAppCopy();
});

const gimlet = (...argv: string[]) => runGimlet(argv, { cwd });
function write(file: string, text: string): string {
  mkdirSync(join(cwd, file, ".."), { recursive: true });
  writeFileSync(join(cwd, file), text);
  return file;
}

const HEAD = `app: shop
env: staging
chart: { repository: https://chart.onechart.dev, name: onechart, version: 0.73.0 }
`;

describe("gimlet manifest lint finds what rendering would refuse", () => {
  test.each([
    ["a value of the wrong type", "values:\n  replicas: three\n", "values.replicas: must be a number"],
    [
      "an unknown value key",
      "values:\n  ingress: { host: a.b, hostt: a.b }\n",
      "values.ingress.hostt: unknown key; supported keys: host,",
    ],
    [
      "an unknown function",
      'values:\n  image: { repository: x, tag: "{{ .SHA | nope }}" }\n',
      'values.image.tag: column 11: unknown function "nope"',
    ],
    [
      "an unclosed action",
      'values:\n  podAnnotations: { a: "{{ .SHA" }\n',
      "values.podAnnotations.a: column 1: unclosed action",
    ],
    [
      "a template that renders a non-integer where one is wanted",
      'values:\n  replicas: "{{ .BRANCH }}"\n',
      'values.replicas: expected an integer, the template rendered "main"',
    ],
  ])("%s, as file: path: message", async (_what, body, message) => {
    const file = write(".gimlet/broken.yaml", HEAD + body);
    const linted = await gimlet("manifest", "lint", file);
    expect(linted.code).toBe(2);
    expect(linted.stderr).toContain(`.gimlet/broken.yaml: ${message}`);
    // what lint refuses, template refuses too
    const rendered = await gimlet("manifest", "template", "-f", file, "--vars", write("ci.env", "SHA=abc\n"));
    expect(rendered.code).toBe(2);
  });

  test("template and value problems are reported together, every line naming the file", async () => {
    const file = write(
      ".gimlet/broken.yaml",
      `${HEAD}values:\n  replicas: three\n  image: { repository: x, tag: "{{ .SHA | nope }}" }\n`,
    );
    const linted = await gimlet("manifest", "lint", file);
    expect(linted.code).toBe(2);
    const lines = linted.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^\.gimlet\/broken\.yaml: values\./);
  });

  test("values problems from manifest template carry the file too", async () => {
    const file = write(".gimlet/broken.yaml", `${HEAD}values:\n  replicas: three\n`);
    const rendered = await gimlet("manifest", "template", "-f", file);
    expect(rendered).toMatchObject({ code: 2, stderr: ".gimlet/broken.yaml: values.replicas: must be a number\n" });
  });

  test("the example manifests and a templated app name lint clean", async () => {
    const file = write(
      ".gimlet/branch.yaml",
      `app: "shop-{{ .BRANCH | sanitizeDNSName }}"\nenv: staging\nvalues:\n  replicas: "{{ .REPLICAS }}"\n  image: { repository: "{{ .IMAGE_REPO }}", tag: "{{ .SHA }}" }\n`,
    );
    const linted = await gimlet("manifest", "lint", ".gimlet/staging.yaml", ".gimlet/preview.yaml", file);
    expect(linted.stderr).toBe("");
    expect(linted.code).toBe(0);
  });

  test("a missing key says required, not a type error", async () => {
    const file = write(
      ".gimlet/broken.yaml",
      "app: shop\nchart: { name: onechart }\nvalues:\n  ingress: { tlsEnabled: true }\n",
    );
    const linted = await gimlet("manifest", "lint", file);
    expect(linted.code).toBe(2);
    expect(linted.stderr).toBe(".gimlet/broken.yaml: env: required\n.gimlet/broken.yaml: chart.repository: required\n");
    const values = write(".gimlet/values.yaml", `${HEAD}values:\n  ingress: { tlsEnabled: true }\n`);
    expect((await gimlet("manifest", "lint", values)).stderr).toBe(
      ".gimlet/values.yaml: values.ingress.host: required\n",
    );
  });

  test("a present value of the wrong type still says what type it wants", async () => {
    const file = write(".gimlet/broken.yaml", "app: shop\nenv: 3\n");
    expect((await gimlet("manifest", "lint", file)).stderr).toBe(".gimlet/broken.yaml: env: env must be a string\n");
  });

  test("manifest lint on .github/gimlet.yml points to config lint", async () => {
    const linted = await gimlet("manifest", "lint", ".github/gimlet.yml");
    expect(linted.code).toBe(2);
    expect(linted.stderr).toBe(
      ".github/gimlet.yml: this is the environments configuration (.github/gimlet.yml), not an environment manifest: check it with `gimlet config lint -f .github/gimlet.yml`\n",
    );
    // the same by content, whatever the file is called
    write("envs.yaml", "environments:\n  staging: { repository: acme/gitops }\n");
    expect((await gimlet("manifest", "lint", "envs.yaml")).stderr).toMatch(
      /^envs\.yaml: .*gimlet config lint -f envs\.yaml/,
    );
  });
});

describe("gimlet config lint", () => {
  test("checks .github/gimlet.yml by default", async () => {
    const linted = await gimlet("config", "lint", "-o", "json");
    expect(linted.code).toBe(0);
    expect(JSON.parse(linted.stdout)).toMatchObject({
      valid: true,
      file: ".github/gimlet.yml",
      environments: [
        { env: "staging", repository: "acme/gitops-staging", branch: "main", path: "staging" },
        { env: "production", repository: "acme/gitops-production", branch: "main", path: "" },
      ],
    });
  });

  test("reports every problem as file: path: message, missing keys as required", async () => {
    write(
      ".github/gimlet.yml",
      "environments:\n  staging: { branch: main, pth: x }\n  Prod: { repository: nope }\nartifacts: { branch: x }\n",
    );
    const linted = await gimlet("config", "lint");
    expect(linted.code).toBe(2);
    expect(linted.stderr.trim().split("\n").sort()).toEqual(
      [
        ".github/gimlet.yml: environments.staging.pth: unknown key",
        ".github/gimlet.yml: environments.staging.repository: required",
        ".github/gimlet.yml: environments.Prod: must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters",
        ".github/gimlet.yml: artifacts.repository: required",
      ].sort(),
    );
  });

  test("an environment URL's template is checked too", async () => {
    write(
      ".github/gimlet.yml",
      'environments:\n  staging: { repository: acme/gitops, url: "https://{{ .APP | nope }}.acme.dev" }\n',
    );
    const linted = await gimlet("config", "lint");
    expect(linted.code).toBe(2);
    expect(linted.stderr).toMatch(
      /^\.github\/gimlet\.yml: environments\.staging\.url: column \d+: unknown function "nope"/,
    );
  });

  test("a missing file is one line", async () => {
    expect(await gimlet("config", "lint", "-f", "nope.yml")).toMatchObject({
      code: 2,
      stderr: "nope.yml: no such file\n",
    });
  });
});
