import { createApiClient } from "../../plugins/cli/client.js";
import { type ShipResult, ship } from "../../plugins/cli/ship.js";
import type { CiEnv } from "../../shared/artifact/index.js";
import { ConfigError } from "../../shared/errors.js";
import type { ActionInputs } from "./inputs.js";

/** What the Action touches outside shared code; the runner binds these to @actions/core, tests to plain objects. */
export interface ActionPorts {
  env: CiEnv;
  /** The event payload (GITHUB_EVENT_PATH), parsed. */
  event: unknown;
  cwd: string;
  /** core.getIDToken(audience) */
  idToken(audience: string): Promise<string>;
  setOutput(name: string, value: string): void | Promise<void>;
  summary(markdown: string): Promise<void>;
  info(line: string): void;
  warning(line: string): void;
  /** core.setSecret: the runner replaces the value with *** in every log line. */
  mask(secret: string): void;
}

export function missingIdTokenPermission(): ConfigError {
  return ConfigError.at(
    "input token",
    "empty, and this job can't request an OIDC token: add `permissions: id-token: write` to the job (or the workflow), or pass an API token in `token`",
  );
}

/** Build the artifact from this run, ship it through the CLI's client, release and wait as asked; set outputs. */
export async function runDeployAction(inputs: ActionInputs, ports: ActionPorts): Promise<ShipResult> {
  if (inputs.token) ports.mask(inputs.token);
  else if (!inputs["dry-run"] && !ports.env.ACTIONS_ID_TOKEN_REQUEST_URL) throw missingIdTokenPermission();
  let pending: Promise<string> | undefined;
  const token = {
    get: () => {
      pending ??= inputs.token
        ? Promise.resolve(inputs.token)
        : ports.idToken(inputs.audience).then((t) => {
            ports.mask(t);
            return t;
          });
      return pending;
    },
  };
  const result = await ship(
    {
      env: ports.env,
      event: ports.event,
      cwd: ports.cwd,
      manifests: inputs.manifests,
      manifestsExplicit: inputs.manifests !== ".gimlet",
      vars: inputs.vars,
      deploy: inputs.deploy || undefined,
      app: inputs.app || undefined,
      wait: inputs.wait,
      timeoutSeconds: inputs.timeout,
      dryRun: inputs["dry-run"],
      names: { vars: "input vars", manifests: "input manifests" },
    },
    { client: () => createApiClient(inputs.server, token), log: ports.info, warn: ports.warning },
  );
  if (inputs["dry-run"]) {
    ports.info(JSON.stringify(result.artifact, null, 2));
    await ports.setOutput("decisions", "[]");
    return result;
  }
  await ports.setOutput("artifact-id", result.artifactId ?? "");
  await ports.setOutput("decisions", JSON.stringify(result.decisions));
  await ports.setOutput("deployment-url", result.deploymentUrl ?? "");
  await ports.setOutput("gitops-sha", result.gitopsSha ?? "");
  await ports.summary(jobSummary(result, inputs.server));
  return result;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** The job summary: what was shipped, one row per environment manifest, links to deployments and gitops commits. */
export function jobSummary(result: ShipResult, server: string): string {
  const v = result.artifact.version;
  const what =
    v.event === "tag"
      ? `tag \`${v.tag}\``
      : v.event === "pr"
        ? `PR #${v.prNumber} (\`${v.branch}\` → \`${v.targetBranch ?? "?"}\`)`
        : `push to \`${v.branch}\``;
  const rows = result.decisions.map((d) => {
    const release = result.releases.find((r) => r.env === d.env && r.app === d.app);
    const links = [
      release?.deploymentUrl ? `[deployment](${release.deploymentUrl})` : "",
      release?.gitopsSha ? `gitops \`${release.gitopsSha.slice(0, 7)}\`` : "",
      release?.environmentUrl ? `[app](${release.environmentUrl})` : "",
    ]
      .filter(Boolean)
      .join(" · ");
    return `| ${cell(d.env)} | ${cell(d.app)} | ${d.deploy || release ? "✅ release" : "—"} | ${cell(`${d.reasonCode}: ${d.reason}`)} | ${release?.status ?? ""} | ${links} |`;
  });
  const extra = result.releases
    .filter((r) => !result.decisions.some((d) => d.env === r.env && d.app === r.app))
    .map(
      (r) =>
        `| ${cell(r.env)} | ${cell(r.app)} | ✅ release | asked for with deploy | ${r.status} | ${r.deploymentUrl ? `[deployment](${r.deploymentUrl})` : ""} |`,
    );
  return [
    "### Gimlet",
    "",
    `Artifact \`${result.artifactId}\` for \`${v.repositoryName}@${v.sha.slice(0, 7)}\`, ${what}, shipped to ${server.replace(/\/+$/, "")}.`,
    "",
    "| Environment | App | Decision | Reason | State | Links |",
    "|---|---|---|---|---|---|",
    ...rows,
    ...extra,
    "",
  ].join("\n");
}
