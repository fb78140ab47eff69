import { z } from "zod";
import { DNS_LABEL, dnsLabelMessage, REPOSITORY_NAME, repositoryNameMessage } from "../names.js";

const repository = z.string({ error: "required: owner/repo" }).regex(REPOSITORY_NAME, repositoryNameMessage);

export const environmentConfigSchema = z
  .strictObject({
    repository: repository.describe("The gitops repository, owner/repo."),
    branch: z.string().min(1).default("main").describe("The gitops branch Flux watches."),
    path: z
      .string()
      .refine(
        (p) => p === "" || p.split("/").every((segment) => DNS_LABEL.test(segment)),
        'must be "" or a relative path of DNS labels, without ..',
      )
      .optional()
      .describe('The env\'s folder; default the env name; "" = one repository per environment.'),
    url: z
      .string()
      .optional()
      .describe("The environment URL, a template with APP and ENV, e.g. https://{{ .APP }}.staging.acme.dev."),
    production: z.boolean().default(false).describe("Marks GitHub deployments to this env as production."),
    deployers: z
      .array(z.string().min(1))
      .optional()
      .describe("Who may deploy by command (users or org/team); default: write access."),
    // ── trust boundaries (issue 10) ──
    repositories: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Globs of the app repositories that may deploy here, e.g. ["acme/*"]; default: any.'),
    branches: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        'Globs of the refs whose artifacts policy may deploy here (branch names; "refs/tags/<glob>" for tags); production default: the default branch.',
      ),
    namespaces: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Globs of the namespaces rendered objects may live in, e.g. ["shop-*"]; default: any.'),
    clusterScoped: z
      .union([z.boolean(), z.array(z.string().min(1))])
      .default(false)
      .describe(
        "Cluster-scoped objects (ClusterRole, Namespace, CRD...) allowed: false (default), true, or a list of kinds.",
      ),
  })
  .describe("One environment.");

export const gimletConfigSchema = z
  .strictObject({
    environments: z
      .record(z.string().regex(DNS_LABEL, dnsLabelMessage), environmentConfigSchema)
      .refine((envs) => Object.keys(envs).length > 0, "configure at least one environment")
      .describe("The environments, by name."),
    artifacts: z
      .strictObject({ repository, branch: z.string().min(1).default("gimlet-artifacts") })
      .optional()
      .describe("Where artifact files go; default: the first environment's repository, branch gimlet-artifacts."),
  })
  .describe("Gimlet configuration (.github/gimlet.yml, in the repository or the organisation's .github repository).");

export type EnvironmentConfig = z.output<typeof environmentConfigSchema>;
export type GimletConfig = z.output<typeof gimletConfigSchema>;
