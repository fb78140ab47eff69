import { existsSync, readFileSync } from "node:fs";
import { ConfigError } from "../../../shared/errors.js";
import { apiClient, serverOptions } from "../client.js";
import { type Command, EXIT, emit, outputOption } from "../command.js";
import { resolvePath } from "../files.js";
import { ship } from "../ship.js";
import { table } from "../table.js";

/** GitHub Actions: the event payload holds the PR head sha that the environment lacks. */
function githubEvent(env: Readonly<Record<string, string | undefined>>, cwd: string): unknown {
  const path = env.GITHUB_EVENT_PATH;
  if (!path || env.GITHUB_ACTIONS !== "true") return undefined;
  const full = resolvePath(cwd, path);
  if (!existsSync(full)) return undefined;
  try {
    return JSON.parse(readFileSync(full, "utf8"));
  } catch {
    throw ConfigError.at("GITHUB_EVENT_PATH", `${path} is not valid JSON`);
  }
}

export const shipCommand: Command = {
  path: ["ship"],
  summary:
    "In CI: build this run's artifact, ship it, optionally release and wait (what the Action, orb and GitLab component run)",
  usage:
    "ship [--server URL] [--deploy ENV [--app A]] [--wait [--timeout S]] [--var K=V]... [--manifests DIR] [--dry-run] [-o json]",
  description:
    "Reads the commit, branch, tag or PR from GitHub Actions, CircleCI or GitLab CI, the environment manifests from DIR (default .gimlet), " +
    "and authenticates with the CI's OIDC token (GitHub Actions with id-token: write, CircleCI's $CIRCLE_OIDC_TOKEN_V2, GitLab's id_tokens variable $GIMLET_ID_TOKEN), " +
    "else with $GIMLET_TOKEN. With --wait, exits 1 when a release fails or does not settle within --timeout.",
  options: {
    ...serverOptions,
    deploy: { type: "string", description: "also release to this environment now", valueName: "ENV" },
    app: { type: "string", description: "with --deploy: only this app", valueName: "A" },
    "target-branch": {
      type: "string",
      description: "the PR base branch, for CIs that do not say it (CircleCI)",
      valueName: "B",
    },
    wait: { type: "boolean", description: "follow every release until healthy or failed" },
    timeout: { type: "string", description: "seconds to wait (default 600)", valueName: "S" },
    var: { type: "string", multiple: true, description: "a template variable", valueName: "K=V" },
    manifests: { type: "string", description: "folder of environment manifests (default .gimlet)", valueName: "DIR" },
    "dry-run": { type: "boolean", description: "print the artifact; ship nothing" },
    output: outputOption,
  },
  examples: [
    "gimlet ship --server https://gimlet.acme.dev --var IMAGE_TAG=$CIRCLE_SHA1",
    "gimlet ship --deploy staging --wait --timeout 300",
  ],
  async run(ctx) {
    const { options, io } = ctx;
    const timeout = (options.timeout as string | undefined) ?? "600";
    if (!/^[1-9][0-9]*$/.test(timeout)) throw ConfigError.at("--timeout", "must be a positive whole number of seconds");
    if (options.app && !options.deploy) throw ConfigError.at("--app", "only means something with --deploy ENV");
    const vars = Array.isArray(options.var) ? (options.var as string[]) : [];
    const bad = vars.filter((v) => v.indexOf("=") <= 0 || v.includes("\n"));
    if (bad.length)
      throw ConfigError.of(bad.map((v) => ({ path: "--var", message: `expected K=V, got ${JSON.stringify(v)}` })));
    const log = (line: string) => io.stderr(`${line}\n`);
    const result = await ship(
      {
        env: io.env,
        event: githubEvent(io.env, io.cwd),
        cwd: io.cwd,
        manifests: (options.manifests as string | undefined) ?? ".gimlet",
        manifestsExplicit: options.manifests !== undefined,
        // one KEY='VALUE' line each, single-quoted so nothing in the value is interpreted
        vars: vars.map((v) => `${v.slice(0, v.indexOf("="))}=${quoteDotenv(v.slice(v.indexOf("=") + 1))}`).join("\n"),
        deploy: options.deploy as string | undefined,
        targetBranch: options["target-branch"] as string | undefined,
        app: options.app as string | undefined,
        wait: Boolean(options.wait),
        timeoutSeconds: Number(timeout),
        dryRun: Boolean(options["dry-run"]),
        names: { vars: "--var", manifests: "--manifests" },
      },
      { client: () => apiClient(ctx), log: ctx.json ? () => {} : log, warn: (line) => log(`warning: ${line}`) },
    );
    if (options["dry-run"]) {
      io.stdout(`${JSON.stringify(result.artifact, null, 2)}\n`);
      return EXIT.ok;
    }
    const summary = {
      id: result.artifactId,
      decisions: result.decisions,
      releases: result.releases,
      deploymentUrl: result.deploymentUrl ?? null,
      gitopsSha: result.gitopsSha ?? null,
    };
    emit(
      ctx,
      summary,
      () =>
        `artifact ${result.artifactId}\n${table(
          ["ENV", "APP", "RELEASE", "STATE", "REASON"],
          result.decisions.map((d) => [
            d.env,
            d.app,
            d.deploy ? "yes" : "no",
            result.releases.find((r) => r.env === d.env && r.app === d.app)?.status ?? "",
            `${d.reasonCode}: ${d.reason}`,
          ]),
        )}`,
    );
    return EXIT.ok;
  },
};

function quoteDotenv(value: string): string {
  return value.includes("'") ? `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"` : `'${value}'`;
}
