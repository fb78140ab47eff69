import { z } from "zod";
import { DNS_LABEL, dnsLabelMessage } from "../validation.js";

export const gitEvents = ["push", "tag", "pr"] as const;
export type GitEvent = (typeof gitEvents)[number];

export const cleanupEvents = ["branchDeleted", "prClosed"] as const;
export type CleanupEvent = (typeof cleanupEvents)[number];

const TEMPLATE = /\{\{/;
const DURATION = /^(\d+(w|d|h|m|s))+$/;

const nonEmpty = (what: string) => z.string({ error: `${what} must be a string` }).min(1, `${what} must not be empty`);

export const deployPolicySchema = z
  .strictObject({
    event: z
      .enum(gitEvents, { error: "must be one of push, tag, pr" })
      .optional()
      .describe("The git event that releases automatically: push, tag or pr."),
    branch: nonEmpty("branch")
      .optional()
      .describe("Branch glob for push and pr events (`*` crosses `/`; a leading `!` negates)."),
    tag: nonEmpty("tag").optional().describe("Tag glob for tag events (a leading `!` negates)."),
    commitMessagePatterns: z
      .array(nonEmpty("pattern"))
      .optional()
      .describe("Globs over the commit message; `[` and `]` are literal. `[DEPLOY: ALL]` in a message matches any."),
  })
  .superRefine((policy, ctx) => {
    if (policy.branch !== undefined && policy.event === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["event"],
        message: "a branch policy needs an event: add `event: push` or `event: pr`",
      });
    if (policy.branch !== undefined && policy.event === "tag")
      ctx.addIssue({
        code: "custom",
        path: ["branch"],
        message: "branch does not apply to tag events: use `tag:` with `event: tag`",
      });
    if (policy.tag !== undefined && policy.event !== "tag")
      ctx.addIssue({ code: "custom", path: ["event"], message: "a tag policy needs `event: tag`" });
  })
  .describe("When to release this environment automatically. No block, or an empty one, means never.");

export const cleanupPolicySchema = z
  .strictObject({
    event: z
      .enum(cleanupEvents, { error: "must be one of branchDeleted, prClosed" })
      .optional()
      .describe("What triggers the cleanup."),
    branch: nonEmpty("branch")
      .optional()
      .describe("Branch glob the deleted branch or the PR head must match (a leading `!` negates)."),
    app: nonEmpty("app").optional().describe("The app to delete, a template with BRANCH and PR_NUMBER available."),
    ttl: z
      .string()
      .regex(DURATION, "must be a duration like 72h, 30m or 7d")
      .optional()
      .describe("Delete a preview after this long without a new commit."),
  })
  .describe("What to delete when a branch is deleted or a PR closes.");

export const chartSchema = z
  .strictObject({
    repository: nonEmpty("repository").describe("Helm repository URL (https:// or oci://)."),
    name: nonEmpty("name").describe("Chart name, e.g. onechart."),
    version: nonEmpty("version").optional().describe("Chart version."),
  })
  .describe("The Helm chart. onechart is rendered built in; any other chart becomes a Flux HelmRelease.");

export const json6902OperationSchema = z.strictObject({
  op: z.enum(["add", "remove", "replace", "move", "copy", "test"]),
  path: z.string(),
  value: z.unknown().optional(),
  from: z.string().optional(),
});

export const json6902PatchSchema = z.strictObject({
  target: z.strictObject({
    group: z.string().optional(),
    version: z.string().optional(),
    kind: nonEmpty("kind"),
    name: nonEmpty("name"),
    namespace: z.string().optional(),
  }),
  patch: z
    .union([z.string().min(1), z.array(json6902OperationSchema)])
    .describe("RFC 6902 operations, as a YAML/JSON string or a list."),
});

export const manifestSchema = z
  .strictObject({
    app: nonEmpty("app")
      .refine((app) => TEMPLATE.test(app) || DNS_LABEL.test(app), { message: dnsLabelMessage })
      .describe("The app name; may be a template such as `shop-{{ .BRANCH | sanitizeDNSName }}`."),
    env: nonEmpty("env")
      .regex(DNS_LABEL, dnsLabelMessage)
      .describe("The environment, as configured in .github/gimlet.yml."),
    namespace: nonEmpty("namespace").optional().describe("Kubernetes namespace of the rendered objects."),
    preview: z
      .boolean({ error: "must be true or false" })
      .optional()
      .describe("Deploy PR artifacts as previews named <app>-pr-<PR_NUMBER>."),
    deploy: deployPolicySchema.optional(),
    cleanup: cleanupPolicySchema.optional(),
    chart: chartSchema.optional(),
    values: z.record(z.string(), z.unknown()).optional().describe("Chart values; string values may hold templates."),
    manifests: z.string().optional().describe("Raw multi-document Kubernetes YAML appended as is (templated)."),
    strategicMergePatches: z.string().optional().describe("Multi-document YAML patches merged by kind and name."),
    json6902Patches: z.array(json6902PatchSchema).optional().describe("RFC 6902 patches applied to rendered objects."),
  })
  .describe("A Gimlet environment manifest: one app in one environment (.gimlet/*.yaml).");

export type DeployPolicy = z.output<typeof deployPolicySchema>;
export type CleanupPolicy = z.output<typeof cleanupPolicySchema>;
export type Chart = z.output<typeof chartSchema>;
export type Json6902Patch = z.output<typeof json6902PatchSchema>;
export type Manifest = z.output<typeof manifestSchema>;
