import type { StoredArtifact } from "../../shared/artifact/index.js";
import type { GimletConfig } from "../../shared/config/index.js";
import { effectiveManifest } from "../../shared/release/index.js";
import { environmentUrl } from "../releases/environment.js";
import type { AcceptedArtifact } from "../releases/intake.js";
import type { PushOutcome } from "../releases/release.js";
import type { AppServices } from "../services.js";
import { upsertPreviewComment, withRow } from "./comment.js";
import { notePreviewRepository } from "./sweep.js";

/**
 * After a PR artifact's preview releases are pushed and reported: one row per preview app in the PR's preview
 * comment (commit, state, URL). Runs in the background; a failure is logged, the releases stand.
 */
export async function reportPreviews(services: AppServices, accepted: AcceptedArtifact): Promise<void> {
  const conversation = services.conversation;
  const { artifact } = accepted;
  const prNumber = artifact.version.prNumber;
  if (!conversation || artifact.version.event !== "pr" || prNumber === undefined) return;
  const previews = accepted.releases.filter((release) =>
    accepted.decisions.some((d) => d.preview && d.trackingId === release.trackingId),
  );
  if (!previews.length) return;
  notePreviewRepository(services, artifact.version.repositoryName);
  const outcomes = await Promise.all(previews.map((p) => p.pushed));
  // A comment is cosmetic: asked for once the releases' deployments are reported, so Probot's FIFO write limiter
  // never serves it ahead of their `in_progress` (deploy-path writes first).
  await Promise.all(previews.map((p) => p.reported));
  const config = await services.configs.get(artifact.version.repositoryName);
  const now = services.deps.clock.now().toISOString();
  try {
    await upsertPreviewComment(conversation, artifact.version.repositoryName, prNumber, (rows) =>
      previews.reduce((acc, release, i) => {
        const outcome = outcomes[i];
        return withRow(acc, {
          env: release.env,
          app: release.app,
          sha: artifact.version.sha,
          state: previewState(outcome),
          url: previewUrl(config, artifact, release.env, release.app),
          updated: now,
        });
      }, rows),
    );
  } catch (error) {
    services.log.warn({ err: error, pr: prNumber }, "could not update the preview comment");
  }
}

function previewUrl(config: GimletConfig, artifact: StoredArtifact, env: string, app: string): string | undefined {
  const manifest = artifact.environments
    .filter((m) => m.env === env && m.preview)
    .map((m) => effectiveManifest(artifact, m))
    .find((m) => m.app === app);
  return manifest ? environmentUrl(config, artifact, manifest) : undefined;
}

/** A preview row's state from its push outcome. */
export function previewState(outcome: PushOutcome | undefined): string {
  if (outcome?.decision === "failed" || outcome?.decision === "refused")
    return `failed: ${outcome.message ?? ""}`.trim();
  if (outcome?.decision === "unchanged") return "already deployed";
  return `committed \`${outcome?.gitopsSha?.slice(0, 7) ?? ""}\``;
}

/** A preview released another way (a `/gimlet deploy`): its row in the PR's preview comment once it is pushed. */
export async function reportPreviewRelease(
  services: AppServices,
  release: { repository: string; prNumber: number; env: string; app: string; sha: string; url?: string },
  pushed: Promise<PushOutcome>,
): Promise<void> {
  const conversation = services.conversation;
  if (!conversation) return;
  const outcome = await pushed;
  notePreviewRepository(services, release.repository);
  try {
    await upsertPreviewComment(conversation, release.repository, release.prNumber, (rows) =>
      withRow(rows, {
        env: release.env,
        app: release.app,
        sha: release.sha,
        state: previewState(outcome),
        url: release.url,
        updated: services.deps.clock.now().toISOString(),
      }),
    );
  } catch (error) {
    services.log.warn({ err: error, pr: release.prNumber }, "could not update the preview comment");
  }
}
