import { z } from "zod";
import { DNS_LABEL, dnsLabelMessage, REPOSITORY_NAME, repositoryNameMessage } from "../names.js";
import { allowsSome, exclusionsOnlyMessage } from "../policy/glob.js";

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
      .refine(allowsSome, exclusionsOnlyMessage('["acme/*", "!acme/secrets"]'))
      .optional()
      .describe('Globs of the app repositories that may deploy here, e.g. ["acme/*"]; default: any.'),
    branches: z
      .array(z.string().min(1))
      .min(1)
      .refine(allowsSome, exclusionsOnlyMessage('["*", "!experimental/*"]'))
      .optional()
      .describe(
        'Globs of the refs whose artifacts policy may deploy here (branch names; "refs/tags/<glob>" for tags); production default: the default branch.',
      ),
    namespaces: z
      .array(z.string().min(1))
      .min(1)
      .refine(allowsSome, exclusionsOnlyMessage('["*", "!kube-system"]'))
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
  .superRefine((config, ctx) => {
    for (const clash of overlappingFolders(config.environments))
      ctx.addIssue({ code: "custom", path: ["environments", clash.env, "path"], message: clash.message });
  })
  .describe("Gimlet configuration (.github/gimlet.yml, in the repository or the organisation's .github repository).");

/**
 * Environments whose folders overlap in one gitops repository and branch: the same folder, the repository root
 * beside any other folder, or a folder inside another. An app of one would write into, or list, the other's.
 */
function overlappingFolders(
  environments: Record<string, { repository: string; branch: string; path?: string }>,
): Array<{ env: string; message: string }> {
  const seen: Array<{ env: string; where: string; folder: string }> = [];
  const clashes: Array<{ env: string; message: string }> = [];
  const named = (folder: string) => (folder === "" ? "the repository root" : `${folder}/`);
  for (const [env, location] of Object.entries(environments)) {
    const where = `${location.repository.toLowerCase()}@${location.branch}`;
    const folder = location.path ?? env;
    const other = seen.find((s) => s.where === where && foldersOverlap(s.folder, folder));
    if (other)
      clashes.push({
        env,
        message: `${env}'s folder (${named(folder)}) overlaps ${other.env}'s (${named(other.folder)}) in ${location.repository}@${location.branch}: give each environment a folder of its own, or a repository of its own`,
      });
    seen.push({ env, where, folder });
  }
  return clashes;
}

const foldersOverlap = (a: string, b: string) =>
  a === b || a === "" || b === "" || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

export type EnvironmentConfig = z.output<typeof environmentConfigSchema>;
export type GimletConfig = z.output<typeof gimletConfigSchema>;
