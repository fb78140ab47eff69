import type { Artifact } from "../artifact/schema.js";
import { templateVariables } from "../artifact/variables.js";
import { GimletError } from "../errors.js";
import type { Manifest } from "../manifest/schema.js";
import { hasTemplate, renderString } from "../template/index.js";
import { DNS_LABEL, dnsLabelMessage } from "../validation.js";
import { type DeployReasonCode, evaluateDeployPolicy } from "./deploy.js";
import { effectiveManifest } from "./preview.js";

export interface EnvLockState {
  by: string;
  reason?: string;
}

/** What the gitops repos say right now; unknown parts are simply absent. */
export interface ReleaseState {
  lockOf?(env: string): EnvLockState | undefined;
  /** The gitops sha a rollback pinned env/app to, if pinned. */
  pinOf?(env: string, app: string): string | undefined;
}

export interface ReleaseDecision {
  env: string;
  app: string;
  deploy: boolean;
  reasonCode: DeployReasonCode | "invalid_manifest";
  reason: string;
  preview: boolean;
  /** The manifest after preview renaming: what a release would render. */
  manifest: Manifest;
}

/** One decision per manifest: would this artifact release it automatically, and why (not). */
export function decideReleases(
  artifact: Artifact,
  manifests: readonly Manifest[] = artifact.environments,
  state: ReleaseState = {},
): ReleaseDecision[] {
  return manifests.map((original) => {
    const manifest = effectiveManifest(artifact, original);
    const base = { env: manifest.env, preview: Boolean(manifest.preview), manifest };
    let app = manifest.app;
    try {
      if (hasTemplate(app))
        app = renderString(app, templateVariables(artifact, { env: manifest.env }), { path: "app" });
    } catch (error) {
      if (!(error instanceof GimletError)) throw error;
      return { ...base, app, deploy: false, reasonCode: "invalid_manifest", reason: error.message };
    }
    if (!DNS_LABEL.test(app))
      return {
        ...base,
        app,
        deploy: false,
        reasonCode: "invalid_manifest",
        reason: `app: ${JSON.stringify(app)} ${dnsLabelMessage}`,
      };
    const outcome = evaluateDeployPolicy(manifest, artifact.version);
    if (!outcome.deploy) return { ...base, app, ...outcome };
    const lock = state.lockOf?.(manifest.env);
    if (lock) {
      return {
        ...base,
        app,
        deploy: false,
        reasonCode: "locked",
        reason: `environment ${manifest.env} is locked by ${lock.by}${lock.reason ? `: ${lock.reason}` : ""}`,
      };
    }
    const pin = state.pinOf?.(manifest.env, app);
    if (pin) {
      return {
        ...base,
        app,
        deploy: false,
        reasonCode: "pinned",
        reason: `${manifest.env}/${app} is pinned by a rollback to ${pin.slice(0, 7)}; an explicit deploy unpins it`,
      };
    }
    return { ...base, app, ...outcome };
  });
}
