import { ConfigError } from "../../../shared/errors.js";
import { decisionOutcome } from "../../../shared/outcomes.js";
import { decideReleases } from "../../../shared/policy/index.js";
import { type Command, EXIT, emit, outputOption, requiredString } from "../command.js";
import { readArtifactFile } from "../files.js";
import { appLabel, table } from "../table.js";

export const policyCheck: Command = {
  path: ["policy", "check"],
  summary: "Show which environments an artifact would release to, and why",
  usage: "policy check --artifact FILE [--env E] [-o json]",
  description:
    "One decision per environment manifest of the artifact. Exit code 0 when at least one (or --env E) would deploy, 3 when none would.",
  options: {
    artifact: { type: "string", short: "a", description: "the artifact file", valueName: "FILE" },
    env: { type: "string", description: "only this environment", valueName: "E" },
    output: outputOption,
  },
  examples: [
    "gimlet policy check --artifact artifact.json",
    "gimlet policy check --artifact artifact.json --env production -o json",
  ],
  async run(ctx) {
    const file = requiredString(ctx, "artifact", "the artifact file");
    const artifact = readArtifactFile(ctx.io.cwd, file);
    const env = ctx.options.env as string | undefined;
    const all = decideReleases(artifact);
    // A mistyped env is a usage error, not "refused by policy": say which envs the artifact's manifests name.
    const known = [...new Set(all.map((d) => d.env))];
    if (env && all.length && !known.includes(env))
      throw ConfigError.at("--env", `unknown environment ${env}; the artifact's manifests name: ${known.join(", ")}`);
    const decisions = all
      .filter((d) => !env || d.env === env)
      .map(({ env, app, deploy, reasonCode, reason, preview }) => ({
        env,
        app,
        deploy,
        outcome: decisionOutcome({ deploy, reasonCode }),
        reasonCode,
        reason,
        ...(preview ? { preview } : {}),
      }));
    emit(ctx, decisions, () =>
      decisions.length
        ? table(
            ["ENV", "APP", "DEPLOY", "REASON"],
            decisions.map((d) => [
              d.env,
              appLabel(d.app, d.preview),
              d.deploy ? "yes" : "no",
              `${d.reasonCode}: ${d.reason}`,
            ]),
          )
        : `no environment manifests${env ? ` for ${env}` : ""} in ${file}\n`,
    );
    const invalid = decisions.filter((d) => d.reasonCode === "invalid_manifest");
    if (invalid.length) {
      ctx.io.stderr(invalid.map((d) => `${d.env}/${d.app}: ${d.reason}\n`).join(""));
      return EXIT.usage;
    }
    return decisions.some((d) => d.deploy) ? EXIT.ok : EXIT.refused;
  },
};
