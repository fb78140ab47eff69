import type { StoredArtifact } from "../../shared/artifact/index.js";
import { templateVariables } from "../../shared/artifact/index.js";
import { envLocation, type GimletConfig } from "../../shared/config/index.js";
import type { Manifest } from "../../shared/manifest/index.js";
import { renderString } from "../../shared/template/index.js";

/**
 * The GitHub environment name of a release: the env, or `<env>/<app>` when the repository deploys several apps to
 * that env (a monorepo) or for a preview (each preview is its own, transient environment).
 */
export function deploymentEnvironment(artifact: StoredArtifact, env: string, app: string, preview: boolean): string {
  if (preview) return `${env}/${app}`;
  const appsInEnv = new Set(artifact.environments.filter((m) => m.env === env && !m.preview).map((m) => m.app));
  return appsInEnv.size > 1 ? `${env}/${app}` : env;
}

/** The environment URL: the env's `url` template from the config, else the first ingress host of the rendered manifest. */
export function environmentUrl(config: GimletConfig, artifact: StoredArtifact, manifest: Manifest): string | undefined {
  const location = envLocation(config, manifest.env);
  if (location.url) {
    try {
      return renderString(
        location.url,
        { ...templateVariables(artifact, { env: manifest.env }), APP: manifest.app },
        { path: `environments.${manifest.env}.url` },
      );
    } catch {
      return undefined;
    }
  }
  const values = manifest.values ?? {};
  const ingress = values.ingress as { host?: unknown; tlsEnabled?: unknown } | undefined;
  const first = ingress?.host
    ? ingress
    : (values.ingresses as Array<{ host?: unknown; tlsEnabled?: unknown }> | undefined)?.[0];
  if (typeof first?.host !== "string") return undefined;
  return `${first.tlsEnabled === false ? "http" : "https"}://${first.host}`;
}
