import { z } from "zod";
import { ConfigError, type Problem } from "../../shared/errors.js";

export interface InputSpec {
  description: string;
  required: boolean;
  default?: string;
}

/** The Action's inputs: action.yml is checked against this table by a test (names, required, defaults). */
export const actionInputs = {
  server: { description: "The Gimlet server URL, e.g. https://gimlet.acme.dev", required: true },
  token: {
    description:
      "An API token (gmlt_...). Leave empty to use the job's OIDC token, which needs `permissions: id-token: write`",
    required: false,
  },
  audience: {
    description: "The OIDC audience the server expects (its GIMLET_OIDC_AUDIENCE)",
    required: false,
    default: "gimlet",
  },
  deploy: {
    description: "Release the artifact to this environment now, besides what the deploy policies decide",
    required: false,
  },
  app: { description: "With deploy: only this app of the environment", required: false },
  wait: {
    description: "Follow every release to healthy or failed; the step fails when one fails or times out",
    required: false,
    default: "false",
  },
  timeout: { description: "Seconds to wait with wait: true", required: false, default: "600" },
  vars: {
    description: "Template variables for the manifests, one KEY=VALUE per line (e.g. IMAGE_TAG=abc123)",
    required: false,
    default: "",
  },
  manifests: { description: "The folder of environment manifests", required: false, default: ".gimlet" },
  "dry-run": {
    description: "Build the artifact and print it; ship nothing (needs no server and no token)",
    required: false,
    default: "false",
  },
} as const satisfies Record<string, InputSpec>;

export type InputName = keyof typeof actionInputs;

export const actionOutputs = {
  "artifact-id": { description: "The id the server gave the artifact" },
  decisions: { description: "JSON: one {env, app, deploy, reasonCode, reason, trackingId?} per environment manifest" },
  "deployment-url": {
    description: "The GitHub deployment of the release (the one asked for with deploy, else the first)",
  },
  "gitops-sha": { description: "The gitops commit of that release, once it is pushed" },
} as const;

const booleanInput = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .pipe(z.enum(["true", "false", "yes", "no", "1", "0", ""], { error: "must be true or false" }))
  .transform((v) => v === "true" || v === "yes" || v === "1");

const text = z.string().transform((v) => v.trim());

const inputsSchema = z
  .object({
    server: text.refine((v) => v === "" || /^https?:\/\/[^\s/]+/.test(v), "must be an http(s) URL"),
    token: text,
    audience: text.pipe(z.string().min(1, "must not be empty")),
    deploy: text,
    app: text,
    wait: booleanInput,
    timeout: text
      .pipe(z.string().regex(/^[1-9][0-9]*$/, "must be a positive whole number of seconds"))
      .transform(Number),
    vars: z.string(),
    manifests: text.pipe(z.string().min(1, "must not be empty")),
    "dry-run": booleanInput,
  })
  .superRefine((inputs, ctx) => {
    if (!inputs["dry-run"] && !inputs.server)
      ctx.addIssue({ code: "custom", path: ["server"], message: "required: the Gimlet server URL" });
    if (inputs.app && !inputs.deploy)
      ctx.addIssue({ code: "custom", path: ["app"], message: "only means something with deploy: <env>" });
  });

export type ActionInputs = z.output<typeof inputsSchema>;

/** Validate the raw inputs (as the runner passes them: "" when unset) and report every problem as `input: message`. */
export function parseActionInputs(raw: (name: InputName) => string): ActionInputs {
  const values = Object.fromEntries(
    (Object.keys(actionInputs) as InputName[]).map((name) => {
      const given = raw(name);
      const spec: InputSpec = actionInputs[name];
      return [name, given === "" && spec.default !== undefined ? spec.default : given];
    }),
  );
  const result = inputsSchema.safeParse(values);
  if (result.success) return result.data;
  const problems: Problem[] = result.error.issues.map((issue) => ({
    path: `input ${String(issue.path[0] ?? "")}`.trim(),
    message: issue.message,
  }));
  throw ConfigError.of(problems);
}
