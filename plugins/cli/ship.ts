import { existsSync } from "node:fs";
import {
  type Artifact,
  artifactFromCiEnv,
  type CiEnv,
  parseArtifact,
  parseDotenv,
} from "../../shared/artifact/index.js";
import { ConfigError, GimletError, Transient } from "../../shared/errors.js";
import { loadManifests } from "../../shared/manifest/index.js";
import type { ApiClient } from "./client.js";
import type { CommandContext } from "./command.js";
import { manifestSourcesInDir, resolvePath } from "./files.js";
import { type TrackedRelease, waitForReleases } from "./wait.js";

/** One decision of the server per environment manifest (POST /api/artifacts). */
export interface ShipDecision {
  env: string;
  app: string;
  deploy: boolean;
  reasonCode: string;
  reason: string;
  trackingId?: string;
}

/** What a CI shipper asks for: the same whether it is the Action, the orb, the GitLab component or `gimlet ship`. */
export interface ShipRequest {
  /** The CI's environment (GitHub Actions, CircleCI or GitLab CI variables). */
  env: CiEnv;
  /** GitHub Actions: the parsed GITHUB_EVENT_PATH payload (the PR head sha lives there). */
  event?: unknown;
  cwd: string;
  /** Folder of `.gimlet/*.yaml`; `manifestsExplicit` makes a missing folder an error instead of a warning. */
  manifests: string;
  manifestsExplicit: boolean;
  /** `KEY=VALUE` lines (dotenv syntax). */
  vars: string;
  /** The PR base branch when the CI does not say (CircleCI); the CI's own value wins. */
  targetBranch?: string;
  /** Ask for a release to this env now, besides what the policies decide. */
  deploy?: string;
  app?: string;
  /** Follow every release to healthy or failed. */
  wait: boolean;
  timeoutSeconds: number;
  /** Build the artifact and stop: no server, no token. */
  dryRun: boolean;
  /** Where the names in errors come from: `--vars` for the CLI, `vars` for the Action. */
  names?: { vars: string; manifests: string };
}

export interface ShipResult {
  artifact: Artifact;
  artifactId?: string;
  decisions: ShipDecision[];
  /** Every release the artifact started (policy) or asked for (deploy), with its last known state. */
  releases: TrackedRelease[];
  /** Allow-listed CI variables left out because their value looked like a secret. */
  dropped: string[];
  deploymentUrl?: string;
  environmentUrl?: string;
  gitopsSha?: string;
}

/** A release the step waited for failed, or did not settle in time. */
export class ReleaseFailed extends GimletError {
  readonly code = "internal" as const;
  constructor(
    message: string,
    readonly reasonCode: "release_failed" | "release_timeout",
  ) {
    super(message);
  }
}

/** The artifact of this CI run: CI facts, the manifests of the folder, the vars. Pure but for reading files. */
export function buildShipArtifact(
  request: ShipRequest,
  warn: (line: string) => void,
): { artifact: Artifact; dropped: string[] } {
  const names = request.names ?? { vars: "vars", manifests: "manifests" };
  const built = artifactFromCiEnv(request.env, request.event);
  // problems come back as `<input>:<line>: message`
  const vars = parseDotenv(request.vars, names.vars);
  const folder = resolvePath(request.cwd, request.manifests);
  let environments: Artifact["environments"] = [];
  if (existsSync(folder)) {
    environments = loadManifests(manifestSourcesInDir(request.cwd, request.manifests)).map((l) => l.manifest);
  } else if (request.manifestsExplicit) {
    throw ConfigError.at(names.manifests, `${request.manifests}: no such directory`);
  } else {
    warn(`no ${request.manifests} folder: the artifact carries no environment manifests, so nothing will deploy`);
  }
  const version = { ...built.artifact.version };
  if (version.event === "pr" && !version.targetBranch && request.targetBranch)
    version.targetBranch = request.targetBranch;
  const artifact = parseArtifact({
    ...built.artifact,
    version,
    vars: { ...built.artifact.vars, ...vars },
    environments,
  });
  return { artifact, dropped: built.dropped };
}

/**
 * Ship this CI run's artifact: build it, push it, optionally ask for a release, optionally wait for every release.
 * `client` is created lazily so a dry run needs neither a server nor a token.
 */
export async function ship(
  request: ShipRequest,
  deps: { client: () => ApiClient; log: (line: string) => void; warn: (line: string) => void },
): Promise<ShipResult> {
  const { artifact, dropped } = buildShipArtifact(request, deps.warn);
  if (dropped.length) deps.warn(`left out of the artifact (the values look like secrets): ${dropped.join(", ")}`);
  if (request.dryRun) return { artifact, decisions: [], releases: [], dropped };

  const client = deps.client();
  const { body } = await client.request<{ id: string; decisions: ShipDecision[] }>("POST", "/api/artifacts", artifact);
  const v = artifact.version;
  deps.log(
    `artifact ${body.id} for ${v.repositoryName}@${v.sha.slice(0, 7)} (${v.event === "tag" ? `tag ${v.tag}` : v.event === "pr" ? `PR #${v.prNumber} ${v.branch} → ${v.targetBranch ?? "?"}` : `push to ${v.branch}`})`,
  );
  for (const d of body.decisions)
    deps.log(`  ${d.env}/${d.app}: ${d.deploy ? "releasing" : "not released"} (${d.reasonCode}: ${d.reason})`);

  let started = body.decisions
    .filter((d) => d.trackingId)
    .map((d) => ({ env: d.env, app: d.app, trackingId: d.trackingId as string }));
  if (request.deploy) {
    const made = await client.request<{ releases: Array<{ env: string; app: string; trackingId: string }> }>(
      "POST",
      "/api/releases",
      { env: request.deploy, artifactId: body.id, ...(request.app ? { app: request.app } : {}) },
      // another replica may answer before the artifact file is stored (503 artifact_not_stored_yet): keep asking
      { retryForMs: request.timeoutSeconds * 1000 },
    );
    for (const r of made.body.releases) deps.log(`  ${r.env}/${r.app}: release asked for (tracking ${r.trackingId})`);
    const asked = new Set(made.body.releases.map((r) => `${r.env}/${r.app}`));
    started = [...started.filter((r) => !asked.has(`${r.env}/${r.app}`)), ...made.body.releases];
  }

  const ctx: CommandContext = {
    options: { timeout: String(request.timeoutSeconds) },
    positionals: [],
    io: { stdout: () => {}, stderr: (text) => deps.log(text.replace(/\n$/, "")), env: request.env, cwd: request.cwd },
    json: false,
  };
  let releases: TrackedRelease[] = [];
  if (started.length) {
    const deadline = Date.now() + request.timeoutSeconds * 1000;
    try {
      // Without wait: one look at each release, for the deployment link the outputs carry.
      releases = request.wait ? await waitForReleases(ctx, client, started, true) : await snapshot(client, started);
    } catch (error) {
      // waitForReleases gives up with a Transient once the deadline passed: for a CI step that is a failed release
      if (request.wait && error instanceof Transient && Date.now() >= deadline)
        throw new ReleaseFailed(error.message, "release_timeout");
      throw error;
    }
  }
  const failed = releases.filter((r) => r.status === "failed");
  if (request.wait && failed.length)
    throw new ReleaseFailed(
      failed.map((r) => `${r.env}/${r.app} failed: ${r.message ?? "no reason given"}`).join("; "),
      "release_failed",
    );
  const primary =
    releases.find((r) => request.deploy && r.env === request.deploy) ?? releases.find((r) => r.deploymentUrl);
  return {
    artifact,
    artifactId: body.id,
    decisions: body.decisions,
    releases,
    dropped,
    deploymentUrl: primary?.deploymentUrl ?? undefined,
    environmentUrl: primary?.environmentUrl ?? undefined,
    gitopsSha: primary?.gitopsSha ?? undefined,
  };
}

async function snapshot(
  client: ApiClient,
  started: Array<{ env: string; app: string; trackingId: string }>,
): Promise<TrackedRelease[]> {
  // Commit first: a release's deployment appears once its gitops commit is pushed; look again briefly for the link.
  const deadline = Date.now() + SNAPSHOT_WAIT_MS;
  return Promise.all(
    started.map(async (release) => {
      for (;;) {
        const { body } = await client.request<Omit<TrackedRelease, "env" | "app" | "trackingId">>(
          "GET",
          `/api/releases/track/${encodeURIComponent(release.trackingId)}`,
        );
        if (body.deploymentUrl || body.status !== "queued" || Date.now() >= deadline) return { ...release, ...body };
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }),
  );
}

/** How long a ship without `wait` looks for its releases' deployment links. */
const SNAPSHOT_WAIT_MS = 10_000;
