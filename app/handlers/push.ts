import { z } from "zod";
import { CONFIG_PATH, mergeGimletConfigs, parseConfigFile, parseGimletConfigYaml } from "../../shared/config/index.js";
import { GimletError, type Problem } from "../../shared/errors.js";
import { loadManifests } from "../../shared/manifest/index.js";
import { webhookHandler } from "./types.js";

export const CONFIG_CHECK_NAME = "gimlet/config";

/** The fields the handler relies on; GitHub leaves `commits` out of some pushes (and file lists out of big ones). */
const Push = z.looseObject({
  after: z.string(),
  deleted: z.boolean().optional(),
  repository: z.looseObject({ full_name: z.string() }),
  commits: z
    .array(
      z.looseObject({
        added: z.array(z.string()).optional(),
        modified: z.array(z.string()).optional(),
        removed: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

const touchesConfig = (path: string) => path === CONFIG_PATH || /^\.gimlet\/[^/]+\.ya?ml$/.test(path);

/** `push`: when `.github/gimlet.yml` or `.gimlet/*.yaml` changed, validate them and report a `gimlet/config` check run. */
export const pushHandler = webhookHandler("push", Push, async (services, { payload }) => {
  if (payload.deleted || /^0+$/.test(payload.after)) return;
  const changed = (payload.commits ?? []).flatMap((c) => [
    ...(c.added ?? []),
    ...(c.modified ?? []),
    ...(c.removed ?? []),
  ]);
  if (!changed.some(touchesConfig)) return;
  const repository = payload.repository.full_name;
  services.configs.invalidate(repository);
  services.deps.environments?.invalidate(repository); // which apps deploy to each env (GitHub environment names)
  const forge = services.deps.forge;
  const problems: Problem[] = [];
  const collect = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      if (!(error instanceof GimletError)) throw error;
      problems.push(...(error.problems.length ? error.problems : [{ path: "", message: error.message }]));
    }
  };
  const configText = await forge.readFile(repository, CONFIG_PATH, payload.after);
  // An organisation file owns its environments: a repository file that widens one fails its check (DESIGN §7).
  const isOrgRepository = repository.toLowerCase().endsWith("/.github");
  const org =
    configText !== undefined && !isOrgRepository
      ? (await forge.readGimletConfigFiles?.(repository, "org"))?.org
      : undefined;
  if (configText !== undefined)
    collect(() => {
      if (!org) return void parseGimletConfigYaml(configText);
      const orgFile = parseConfigFile(org.text, org.source);
      mergeGimletConfigs(orgFile, parseConfigFile(configText, CONFIG_PATH, orgFile));
    });
  const manifestFiles = (await forge.listFolder(repository, ".gimlet", payload.after)).filter((p) =>
    /\.ya?ml$/.test(p),
  );
  const sources = await Promise.all(
    manifestFiles.map(async (file) => ({
      file,
      text: (await forge.readFile(repository, file, payload.after)) ?? "",
    })),
  );
  if (sources.length) collect(() => loadManifests(sources));
  const checked = [configText !== undefined ? CONFIG_PATH : undefined, ...manifestFiles].filter(Boolean) as string[];
  await forge.createCheckRun(repository, {
    name: CONFIG_CHECK_NAME,
    headSha: payload.after,
    externalId: `config-${payload.after}`,
    status: "completed",
    conclusion: problems.length ? "failure" : "success",
    title: problems.length
      ? `${problems.length} problem${problems.length > 1 ? "s" : ""} in the Gimlet configuration`
      : "Gimlet configuration is valid",
    summary: problems.length
      ? problems.map((p) => `- \`${p.path}\`: ${p.message}`).join("\n")
      : `Checked ${checked.map((f) => `\`${f}\``).join(", ") || "nothing"}.`,
  });
  services.log.info({ repo: repository, sha: payload.after, problems: problems.length }, "configuration checked");
});
