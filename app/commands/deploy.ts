import type { StoredArtifact } from "../../shared/artifact/index.js";
import type { GimletConfig } from "../../shared/config/index.js";
import { GimletError } from "../../shared/errors.js";
import type { Manifest } from "../../shared/manifest/index.js";
import { previewAppName } from "../../shared/policy/preview.js";
import { reportPreviewRelease } from "../previews/releases.js";
import { environmentUrl } from "../releases/environment.js";
import { prepareRelease, startRelease } from "../releases/release.js";
import { track } from "../services.js";
import {
  authorize,
  type CommandRunner,
  checkHeadNotNewer,
  checkNotLockedByOther,
  deploymentOfComment,
  gitopsTarget,
  headArtifact,
  knownEnv,
  openSameRepoPullRequest,
} from "./context.js";
import { Refusal } from "./outcome.js";
import { helpText } from "./reply.js";

/** The name an app is released under from this PR (a preview's `<app>-pr-<N>`). */
const releasedName = (manifest: Manifest, prNumber: number) =>
  manifest.preview ? previewAppName(manifest.app, prNumber) : manifest.app;

/**
 * `/gimlet deploy [env] [app]`: no env picks the one non-production env the artifact has manifests for; a
 * production env is never picked, it must be named.
 */
function chooseEnv(config: GimletConfig, artifact: StoredArtifact, env: string | undefined): string {
  if (env !== undefined) return knownEnv(config, env, "deploy");
  const candidates = [...new Set(artifact.environments.map((m) => m.env))].filter(
    (e) => config.environments[e] && !config.environments[e]?.production,
  );
  if (candidates.length === 1 && candidates[0]) return candidates[0];
  throw new Refusal(
    "env_required",
    `name the environment: \`/gimlet deploy <env>\`${candidates.length ? "" : " (production environments are never chosen for you)"}\n\n${helpText(Object.keys(config.environments))}`,
  );
}

function chooseManifest(artifact: StoredArtifact, env: string, app: string | undefined, prNumber: number): Manifest {
  // A preview manifest of an artifact that is not this PR's would render over the env's own app: never offered.
  const isPr = artifact.version.event === "pr" && artifact.version.prNumber === prNumber;
  const inEnv = artifact.environments.filter((m) => m.env === env && (!m.preview || isPr));
  const names = inEnv.map((m) => releasedName(m, prNumber));
  if (!inEnv.length)
    throw new Refusal(
      "unknown_app",
      `the artifact for \`${artifact.version.sha.slice(0, 7)}\` has no manifest for \`${env}\` (it has: ${[...new Set(artifact.environments.map((m) => `\`${m.env}\``))].join(", ") || "none"})`,
    );
  if (app === undefined) {
    if (inEnv.length === 1 && inEnv[0]) return inEnv[0];
    throw new Refusal(
      "app_required",
      `\`${env}\` has several apps; name one: ${names.map((n) => `\`${n}\``).join(", ")}`,
    );
  }
  const found = inEnv.find((m) => m.app === app || releasedName(m, prNumber) === app);
  if (!found)
    throw new Refusal("unknown_app", `there is no app \`${app}\` in \`${env}\`\n\n${helpText([env], names)}`, true);
  return found;
}

export const deployCommand: CommandRunner<"deploy"> = async (ctx, command) => {
  const config = await ctx.services.configs.get(ctx.repository);
  const pr = await openSameRepoPullRequest(ctx);
  if (command.env !== undefined) await authorize(ctx, config, knownEnv(config, command.env, "deploy"));
  const artifact = await headArtifact(ctx, config, pr);
  const env = chooseEnv(config, artifact, command.env);
  if (command.env === undefined) await authorize(ctx, config, env);
  await checkHeadNotNewer(ctx, pr);
  const manifest = chooseManifest(artifact, env, command.app, pr.number);
  await checkNotLockedByOther(ctx, config, env);
  const base = { artifact, manifest, config, triggeredBy: ctx.comment.author, trigger: "command" as const };
  let rendered: ReturnType<typeof prepareRelease>;
  try {
    rendered = prepareRelease(base);
  } catch (error) {
    if (error instanceof GimletError) throw new Refusal("invalid_manifest", error.message);
    throw error;
  }
  const app = rendered.app;
  const sha = artifact.version.sha;
  const existing = await deploymentOfComment(ctx, { sha });
  if (existing)
    return {
      decision: "done",
      reasonCode: "already_handled",
      message: `this comment already started [deployment ${existing.id}](${existing.url})`,
    };
  const environment = environmentUrl(config, artifact, rendered.manifest);
  const view = {
    verb: "deploy",
    env,
    app,
    sha,
    state: "queued",
    gitopsRepository: gitopsTarget(config, env).repo,
    environmentUrl: environment,
  } as const;
  return {
    release: {
      view,
      async start(replyId) {
        const started = await startRelease(
          ctx.services.deps,
          { ...base, payload: { commentId: ctx.comment.id, replyId, prNumber: pr.number } },
          rendered,
        );
        if (rendered.manifest.preview)
          track(
            ctx.services,
            reportPreviewRelease(
              ctx.services,
              { repository: ctx.repository, prNumber: pr.number, env, app, sha, url: environment },
              // the comment once the deployment is reported: deploy-path writes first
              started.reported.then(() => started.pushed),
            ),
          );
        return {
          view: { ...view, deploymentUrl: (await started.reported)?.url },
          pushed: started.pushed,
        };
      },
    },
  };
};
