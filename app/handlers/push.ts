import { CONFIG_PATH, parseGimletConfigYaml } from "../../shared/config/index.js";
import { GimletError, type Problem } from "../../shared/errors.js";
import { loadManifests } from "../../shared/manifest/index.js";
import type { WebhookHandler } from "./types.js";

export const CONFIG_CHECK_NAME = "gimlet/config";

interface PushPayload {
  ref: string;
  after: string;
  deleted?: boolean;
  repository: { full_name: string; default_branch?: string };
  commits?: Array<{ added?: string[]; modified?: string[]; removed?: string[] }>;
}

const touchesConfig = (path: string) => path === CONFIG_PATH || /^\.gimlet\/[^/]+\.ya?ml$/.test(path);

/** `push`: when `.github/gimlet.yml` or `.gimlet/*.yaml` changed, validate them and report a `gimlet/config` check run. */
export const pushHandler: WebhookHandler = {
  event: "push",
  async handle(services, { payload }: { payload: PushPayload }) {
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
    if (configText !== undefined) collect(() => parseGimletConfigYaml(configText));
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
  },
};
