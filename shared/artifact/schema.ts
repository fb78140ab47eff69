import { z } from "zod";
import { gitEvents, manifestSchema } from "../manifest/schema.js";
import { REPOSITORY_PATH, repositoryNameMessage } from "../names.js";
import { secretRefusal } from "./secrets.js";

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Unix seconds (Gimlet's shippers) or an ISO 8601 string, normalised to ISO. */
const timestamp = z.union([z.number().int().nonnegative(), z.string().min(1)]).transform((value, ctx) => {
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: "custom", message: "must be unix seconds or an ISO 8601 date" });
    return z.NEVER;
  }
  return date.toISOString();
});

const optionalText = z.string().optional();

export const versionSchema = z
  .strictObject({
    repositoryName: z
      .string({ error: "required: owner/repo" })
      .regex(REPOSITORY_PATH, repositoryNameMessage)
      .refine((name) => !name.split("/").includes(".."), "must not contain .."),
    sha: z
      .string({ error: "required: the commit sha" })
      .regex(SHA, "must be a full 40-character lowercase hex commit sha"),
    created: timestamp.optional(),
    branch: optionalText,
    event: z.enum(gitEvents, { error: "must be one of push, tag, pr" }).default("push"),
    sourceBranch: optionalText,
    targetBranch: optionalText,
    tag: optionalText,
    authorName: optionalText,
    authorEmail: optionalText,
    committerName: optionalText,
    committerEmail: optionalText,
    message: optionalText,
    url: optionalText,
    prNumber: z
      .union([z.number().int().positive(), z.string().regex(/^[1-9][0-9]*$/)])
      .transform(Number)
      .optional(),
  })
  .transform((version, ctx) => {
    const out = { ...version };
    if (out.event === "pr") {
      out.branch = out.branch || out.sourceBranch;
      out.sourceBranch = out.sourceBranch || out.branch;
      if (!out.branch)
        ctx.addIssue({ code: "custom", path: ["branch"], message: "required for a pr artifact: the PR head branch" });
      if (out.prNumber === undefined)
        ctx.addIssue({ code: "custom", path: ["prNumber"], message: "required for a pr artifact" });
    }
    if (out.event === "tag" && !out.tag)
      ctx.addIssue({ code: "custom", path: ["tag"], message: "required for a tag artifact" });
    if (out.event === "push" && !out.branch)
      ctx.addIssue({ code: "custom", path: ["branch"], message: "required for a push artifact" });
    return out;
  });

/** A string map whose keys are usable as template variables and whose values are no secrets. */
const variableMap = z.record(z.string(), z.string({ error: "must be a string" })).superRefine((map, ctx) => {
  for (const [name, value] of Object.entries(map)) {
    if (!VARIABLE_NAME.test(name))
      ctx.addIssue({
        code: "custom",
        path: [name],
        message: "variable names are letters, digits and _, not starting with a digit",
      });
    const refusal = secretRefusal(name, value);
    if (refusal) ctx.addIssue({ code: "custom", path: [name], message: refusal });
  }
});

export const itemSchema = z
  .looseObject({ name: z.string({ error: "required: the item name" }).min(1), url: z.string().optional() })
  .superRefine((item, ctx) => {
    for (const [key, value] of Object.entries(item)) {
      if (!["string", "number", "boolean"].includes(typeof value))
        ctx.addIssue({ code: "custom", path: [key], message: "must be a string, number or boolean" });
      else if (typeof value === "string" && key !== "name") {
        const refusal = secretRefusal(key, value);
        if (refusal) ctx.addIssue({ code: "custom", path: [key], message: refusal });
      }
    }
  });

export const artifactSchema = z.strictObject({
  /** Assigned by the server; a client's value is ignored. */
  id: z.string().optional(),
  created: timestamp.optional(),
  version: versionSchema,
  vars: variableMap.default({}),
  context: variableMap.default({}),
  items: z.array(itemSchema).default([]),
  environments: z.array(manifestSchema).default([]),
  /** Gimlet's shippers send it; kept for compatibility, cleanup comes from the manifests. */
  cleanupPolicy: z.array(z.unknown()).optional(),
});

export type Version = z.output<typeof versionSchema>;
export type Item = z.output<typeof itemSchema>;
export type Artifact = z.output<typeof artifactSchema>;
export type ArtifactInput = z.input<typeof artifactSchema>;
