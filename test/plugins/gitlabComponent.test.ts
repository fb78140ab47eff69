import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { Ajv } from "ajv";
import { loadAll } from "js-yaml";
import { z } from "zod";
import { type CiApp, gitlabJobToken, type JobRef, runProcess, startCiApp } from "../helpers/ciApp.js";
import { loadCiEnv, repoRoot } from "../helpers/ciEnv.js";
import { exampleAppCopy } from "../helpers/cli.js";

const templateFile = join(repoRoot, "plugins", "gitlab", "templates", "gimlet.yml");
const templateText = readFileSync(templateFile, "utf8");

// GitLab's `spec:` header (docs: "Define inputs with spec:inputs"); GitLab's CI schema in gitlab-ci-local has no `spec`.
const inputSchema = z.strictObject({
  description: z.string().min(1),
  type: z.enum(["string", "number", "boolean", "array"]).optional(),
  default: z.union([z.string(), z.number(), z.boolean(), z.array(z.unknown())]).optional(),
  options: z.array(z.union([z.string(), z.number()])).optional(),
  regex: z.string().optional(),
});
const headerSchema = z.strictObject({
  spec: z.strictObject({ inputs: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/), inputSchema) }),
});

const [headerDoc, bodyDoc] = templateText.split(/^---$/m);
const header = headerSchema.parse(loadAll(headerDoc as string)[0]);

/** What GitLab does on `include: component:` with `inputs:`: interpolate `$[[ inputs.x ]]` (defaults for the rest). */
function interpolate(given: Record<string, string | number | boolean>): Record<string, unknown> {
  const values = {
    ...Object.fromEntries(Object.entries(header.spec.inputs).map(([k, v]) => [k, v.default])),
    ...given,
  };
  const text = (bodyDoc as string).replace(/\$\[\[\s*inputs\.([a-z0-9_-]+)\s*\]\]/g, (_, name: string) => {
    if (values[name] === undefined) throw new Error(`input ${name} has no value`);
    return String(values[name]);
  });
  return loadAll(text)[0] as Record<string, unknown>;
}

describe("the GitLab CI/CD component", () => {
  test("the spec header declares server, deploy, app, wait, timeout and stage; every $[[ inputs.x ]] is declared and every input is used", () => {
    const inputs = header.spec.inputs;
    for (const name of ["server", "deploy", "app", "wait", "timeout", "stage"]) expect(inputs).toHaveProperty(name);
    expect(inputs.server?.default).toBeUndefined(); // required
    expect(inputs.wait).toMatchObject({ type: "boolean", default: false });
    expect(inputs.timeout).toMatchObject({ type: "number" });
    const used = new Set([...(bodyDoc as string).matchAll(/\$\[\[\s*inputs\.([a-z0-9_-]+)\s*\]\]/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(inputs).sort());
  });

  test("the job validates against GitLab's CI schema (gitlab-ci-local's copy, with ajv) and asks for an id_token", async () => {
    const { default: schema } = (await import("gitlab-ci-local/src/schema/index.js" as string)) as { default: object };
    const ajv = new Ajv({
      allErrors: true,
      allowUnionTypes: true,
      validateFormats: false,
      strictTypes: false,
      strict: false,
      keywords: ["markdownDescription"],
    });
    const validate = ajv.compile(schema);
    const job = interpolate({ server: "https://gimlet.acme.dev", deploy: "staging", wait: true });
    expect(validate(job) ? [] : validate.errors).toEqual([]);
    expect(job["gimlet-ship"]).toMatchObject({ id_tokens: { GIMLET_ID_TOKEN: { aud: "gimlet" } }, stage: "deploy" });
    // and the schema does catch a broken job
    expect(
      validate({ "gimlet-ship": { ...(job["gimlet-ship"] as object), id_tokens: { GIMLET_ID_TOKEN: { aud: 3 } } } }),
    ).toBe(false);
  });

  describe("its script in a GitLab environment, against the app on loopback", () => {
    let app: CiApp;
    beforeAll(async () => {
      app = await startCiApp();
    });
    afterAll(() => app.close());

    const cases: Array<{
      fixture: string;
      job: JobRef;
      inputs: Record<string, string>;
      expected: Record<string, unknown>;
    }> = [
      {
        fixture: "gitlab-branch",
        job: { repository: "acme/shop", event: "push", branch: "main" },
        inputs: {},
        expected: {
          event: "push",
          branch: "main",
          authorName: "Octo Cat",
          message: "Cache product images\n\nCuts page load by a third.",
        },
      },
      {
        fixture: "gitlab-tag",
        job: { repository: "acme/shop", event: "tag", tag: "v1.4.0" },
        inputs: { deploy: "staging", app: "shop" },
        expected: { event: "tag", tag: "v1.4.0" },
      },
      {
        fixture: "gitlab-mr",
        job: { repository: "acme/shop", event: "pr", branch: "feature/login-form", prNumber: 42 },
        inputs: {},
        expected: { event: "pr", branch: "feature/login-form", targetBranch: "main", prNumber: 42 },
      },
    ];

    test.each(cases)("$fixture: ships with the id_tokens token", async ({ fixture, job, inputs, expected }) => {
      const { env } = loadCiEnv(fixture);
      const ship = interpolate({ server: app.url, ...inputs })["gimlet-ship"] as {
        variables: Record<string, string>;
        script: string[];
        id_tokens: Record<string, { aud: string }>;
      };
      const [tokenVariable] = Object.keys(ship.id_tokens);
      const result = await runProcess("sh", ["-c", ship.script.join("\n")], {
        cwd: exampleAppCopy(),
        env: {
          PATH: process.env.PATH ?? "",
          ...env,
          ...ship.variables,
          // GitLab puts the job's id_token in the variable the job names, with the audience it asks for
          [tokenVariable as string]: await gitlabJobToken(app, job, ship.id_tokens[tokenVariable as string]?.aud),
          GIMLET_CLI: `${process.execPath} ${join(repoRoot, "dist", "cli", "index.js")}`,
        },
      });
      expect(result).toMatchObject({ code: 0, stderr: expect.not.stringMatching(/error|required/i) });
      const id = /artifact (acme-shop-[0-9A-Z]{26}-[0-9a-f]{40})/.exec(result.stdout)?.[1];
      await app.waitIdle(); // commit first: the artifact is stored once its releases are reported
      const listed = await fetch(`${app.url}/api/artifacts?repository=acme/shop&limit=100`, {
        headers: { authorization: `Bearer ${app.server.newToken}` },
      });
      const stored = (
        (await listed.json()) as Array<{
          id: string;
          version: Record<string, unknown>;
          context: Record<string, string>;
        }>
      ).find((a) => a.id === id);
      expect(stored?.version).toMatchObject({ repositoryName: "acme/shop", ...expected });
      expect(stored?.context.CI_PROVIDER).toBe("gitlab");
      expect(JSON.stringify(stored)).not.toContain(env.CI_JOB_TOKEN);
      if (inputs.deploy) expect(result.stderr).toContain("staging/shop: release asked for");
    });
  });
});
