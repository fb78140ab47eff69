import { localArtifactId } from "../../../shared/artifact/index.js";
import { PolicyDenied } from "../../../shared/errors.js";
import { type Command, EXIT, emit, outputOption, requiredString } from "../command.js";
import { readArtifactFile } from "../files.js";
import { actorOf, actorOption, gitopsOptions, gitopsTarget, outcomeJson, progress, withWriter } from "../gitops.js";
import { table } from "../table.js";

export const gitopsDeploy: Command = {
  path: ["gitops", "deploy"],
  summary: "Release an artifact's manifests for an env into a gitops repository (no policy check)",
  usage: "gitops deploy --repo URL|PATH [--branch main] [--path DIR] --env E --artifact FILE [--app A] [-o json]",
  description:
    "Renders every manifest of the env (or only --app) and commits each app folder with its release.json. " +
    "A release identical to the current one makes no commit. A locked env refuses (exit 3) unless --force.",
  options: {
    ...gitopsOptions,
    artifact: { type: "string", short: "a", description: "the artifact file", valueName: "FILE" },
    app: { type: "string", description: "only this app", valueName: "A" },
    actor: actorOption,
    force: { type: "boolean", description: "deploy even when the env is locked" },
    output: outputOption,
  },
  examples: ["gimlet gitops deploy --repo ../gitops --env staging --artifact artifact.json"],
  async run(ctx) {
    // loaded when the command runs: the renderer validates objects with kubernetes-models, over half the CLI bundle
    const { renderRelease, selectManifests } = await import("../../../shared/release/index.js");
    const target = gitopsTarget(ctx);
    const file = requiredString(ctx, "artifact", "the artifact file");
    const artifact = readArtifactFile(ctx.io.cwd, file);
    const id = artifact.id ?? localArtifactId(artifact);
    const releases = selectManifests(artifact, target.env, ctx.options.app as string | undefined).map((manifest) =>
      renderRelease(artifact, manifest, file),
    );
    const actor = actorOf(ctx);
    const outcomes = await withWriter(async (writer) => {
      const lock = await writer.readLock(target);
      if (lock && !ctx.options.force) {
        throw new PolicyDenied(
          `environment ${target.env} is locked by ${lock.by}${lock.reason ? `: ${lock.reason}` : ""} (use --force to deploy anyway)`,
          "locked",
        );
      }
      return Promise.all(
        releases.map(async (release) => {
          progress(ctx, `deploying ${release.env}/${release.app} (${release.files.length} files)…`);
          const outcome = await writer.deploy({
            ...target,
            app: release.app,
            files: release.files,
            actor,
            release: { artifactId: id, triggeredBy: actor, version: artifact.version },
          });
          return { ...outcomeJson(outcome), files: release.files.map((f) => f.path) };
        }),
      );
    });
    emit(ctx, outcomes, () =>
      table(
        ["ENV/APP", "RESULT", "GITOPS SHA", "FILES"],
        outcomes.map((o) => [`${o.env}/${o.app}`, o.decision, o.gitopsSha.slice(0, 7), o.files.join(", ")]),
      ),
    );
    return EXIT.ok;
  },
};
