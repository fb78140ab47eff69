import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { load } from "js-yaml";
import { z } from "zod";
import { type CiApp, circleciJobToken, type JobRef, runProcess, startCiApp } from "../helpers/ciApp.js";
import { loadCiEnv, repoRoot } from "../helpers/ciEnv.js";
import { exampleAppCopy } from "../helpers/cli.js";

// No offline CircleCI orb validator exists: this is our schema of the orb development kit's files
// (CircleCI docs "Orb authoring" / "Orb development kit"), checked together with the references between them.
const src = join(repoRoot, "plugins", "circleci", "src");
const parameterSchema = z.strictObject({
  type: z.enum(["string", "boolean", "integer", "enum", "executor", "steps", "env_var_name"]),
  description: z.string().min(1),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  enum: z.array(z.string()).optional(),
});
const parameters = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), parameterSchema);
const step = z.union([z.string(), z.record(z.string(), z.unknown())]);
const orbSchema = z.strictObject({
  version: z.literal(2.1),
  description: z.string().min(1),
  display: z.strictObject({ home_url: z.string().url(), source_url: z.string().url() }),
});
const commandSchema = z.strictObject({ description: z.string().min(1), parameters, steps: z.array(step).min(1) });
const jobSchema = z.strictObject({
  description: z.string().min(1),
  executor: z.union([z.string(), z.record(z.string(), z.unknown())]),
  parameters,
  steps: z.array(step).min(1),
});
const executorSchema = z.strictObject({
  description: z.string().min(1),
  docker: z.array(z.strictObject({ image: z.string().min(1) })).min(1),
  parameters: parameters.optional(),
});
const exampleSchema = z.strictObject({
  description: z.string().min(1),
  usage: z.looseObject({
    version: z.literal(2.1),
    orbs: z.record(z.string(), z.string()),
    workflows: z.record(z.string(), z.unknown()),
  }),
});

const yamlOf = (path: string) => load(readFileSync(join(src, path), "utf8"));
const dirYaml = (dir: string) =>
  Object.fromEntries(readdirSync(join(src, dir)).map((f) => [f.replace(/\.yml$/, ""), yamlOf(join(dir, f))]));

describe("the orb's files (development kit layout)", () => {
  const commands = z.record(z.string(), commandSchema).parse(dirYaml("commands"));
  const jobs = z.record(z.string(), jobSchema).parse(dirYaml("jobs"));
  const executors = z.record(z.string(), executorSchema).parse(dirYaml("executors"));
  const examples = z.record(z.string(), exampleSchema).parse(dirYaml("examples"));

  test("@orb.yml, commands, jobs, executors and examples match the schema", () => {
    expect(orbSchema.parse(yamlOf("@orb.yml")).version).toBe(2.1);
    expect(Object.keys(commands)).toEqual(["ship"]);
    expect(Object.keys(jobs)).toEqual(["ship"]);
    expect(Object.keys(executors)).toEqual(["default"]);
    expect(Object.keys(examples)).toEqual(["ship"]);
  });

  test("every <<parameters.x>> is declared, every include exists, the job passes each of its parameters to the command", () => {
    for (const [kind, files] of Object.entries({ commands, jobs, executors })) {
      for (const [name, def] of Object.entries(files)) {
        const text = readFileSync(join(src, kind, `${name}.yml`), "utf8");
        const used = [...text.matchAll(/<<\s*parameters\.([a-z0-9-]+)\s*>>/g)].map((m) => m[1]);
        const declared = Object.keys(def.parameters ?? {});
        expect({
          file: `${kind}/${name}.yml`,
          undeclared: used.filter((u) => !declared.includes(u as string)),
        }).toEqual({
          file: `${kind}/${name}.yml`,
          undeclared: [],
        });
        for (const include of text.matchAll(/<<include\(([^)]+)\)>>/g))
          expect(existsSync(join(src, include[1] as string))).toBe(true);
      }
    }
    const shipStep = jobs.ship?.steps.find((s) => typeof s === "object" && "ship" in s) as {
      ship: Record<string, string>;
    };
    expect(Object.keys(shipStep.ship).sort()).toEqual(Object.keys(jobs.ship?.parameters ?? {}).sort());
    for (const name of Object.keys(jobs.ship?.parameters ?? {})) expect(commands.ship?.parameters).toHaveProperty(name);
    for (const name of ["server", "deploy", "app", "wait", "timeout"])
      expect(commands.ship?.parameters).toHaveProperty(name);
    expect(jobs.ship?.executor).toBe("default");
  });

  test("the ship command passes every parameter to the script as PARAM_*, and the example uses the job's parameters", () => {
    const [first] = commands.ship?.steps ?? [];
    const run = (first as { run: { environment: Record<string, string> } }).run;
    expect(Object.keys(run.environment).sort()).toEqual(
      Object.keys(commands.ship?.parameters ?? {})
        .map((p) => `PARAM_${p.toUpperCase().replace(/-/g, "_")}`)
        .sort(),
    );
    const usage = examples.ship?.usage as {
      workflows: Record<string, { jobs: Array<string | Record<string, Record<string, unknown>>> }>;
    };
    const shipJob = Object.values(usage.workflows)[0]?.jobs.find(
      (j) => typeof j === "object" && "gimlet/ship" in j,
    ) as Record<string, Record<string, unknown>>;
    for (const key of Object.keys(shipJob["gimlet/ship"] ?? {}).filter((k) => k !== "requires" && k !== "context"))
      expect(jobs.ship?.parameters).toHaveProperty(key);
  });
});

describe("the orb's ship script in a CircleCI environment, against the app on loopback", () => {
  let app: CiApp;
  beforeAll(async () => {
    app = await startCiApp();
  });
  afterAll(() => app.close());

  const cases: Array<{
    fixture: string;
    job: JobRef;
    params: Record<string, string>;
    expected: Record<string, unknown>;
  }> = [
    {
      fixture: "circleci-branch",
      job: { repository: "acme/shop", event: "push", branch: "main" },
      params: {},
      expected: { event: "push", branch: "main", sha: "5f2b3c4d6e7f8091a2b3c4d5e6f708192a3b4c5d" },
    },
    {
      fixture: "circleci-tag",
      job: { repository: "acme/shop", event: "tag", tag: "v1.4.0" },
      params: { PARAM_DEPLOY: "staging", PARAM_APP: "shop" },
      expected: { event: "tag", tag: "v1.4.0" },
    },
    {
      fixture: "circleci-pr",
      job: { repository: "acme/shop", event: "pr", branch: "feature/login-form", prNumber: 42 },
      params: { PARAM_TARGET_BRANCH: "main" },
      expected: { event: "pr", branch: "feature/login-form", targetBranch: "main", prNumber: 42 },
    },
  ];

  test.each(cases)("$fixture: ships with CIRCLE_OIDC_TOKEN_V2", async ({ fixture, job, params, expected }) => {
    const { env } = loadCiEnv(fixture);
    const result = await runProcess("sh", [join(src, "scripts", "ship.sh")], {
      cwd: exampleAppCopy(),
      env: {
        PATH: process.env.PATH ?? "",
        ...env,
        GIMLET_TOKEN: "", // the OIDC token alone must do
        CIRCLE_OIDC_TOKEN_V2: await circleciJobToken(app, job),
        PARAM_SERVER: app.url,
        PARAM_WAIT: "false",
        PARAM_TIMEOUT: "30",
        PARAM_MANIFESTS: ".gimlet",
        GIMLET_CLI: `${process.execPath} ${join(repoRoot, "dist", "cli", "index.js")}`,
        ...params,
      },
    });
    expect(result).toMatchObject({ code: 0, stderr: expect.not.stringMatching(/error|required/i) });
    const id = /artifact (acme-shop-[0-9A-Z]{26}-[0-9a-f]{40})/.exec(result.stdout)?.[1];
    expect(id).toBeDefined();
    await app.waitIdle(); // commit first: the artifact is stored once its releases are reported
    const listed = await fetch(`${app.url}/api/artifacts?repository=acme/shop&limit=100`, {
      headers: { authorization: `Bearer ${app.server.newToken}` },
    });
    const stored = (
      (await listed.json()) as Array<{ id: string; version: Record<string, unknown>; context: Record<string, string> }>
    ).find((a) => a.id === id);
    expect(stored?.version).toMatchObject({ repositoryName: "acme/shop", ...expected });
    expect(stored?.context.CI_PROVIDER).toBe("circleci");
    expect(JSON.stringify(stored)).not.toContain(env.AWS_SECRET_ACCESS_KEY);
    if (params.PARAM_DEPLOY) expect(result.stderr).toContain("staging/shop: release asked for");
  });

  test("no OIDC token and no GIMLET_TOKEN: exit 2 with the reason", async () => {
    const result = await runProcess("sh", [join(src, "scripts", "ship.sh")], {
      cwd: exampleAppCopy(),
      env: { PATH: process.env.PATH ?? "", PARAM_SERVER: app.url, CIRCLECI: "true" },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no CIRCLE_OIDC_TOKEN_V2");
  });
});
