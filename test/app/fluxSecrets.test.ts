import { createHmac } from "node:crypto";
import { describe, expect, test } from "@jest/globals";
import { parseFluxSecrets } from "../../app/auth/index.js";
import type { Manifest } from "../../shared/manifest/index.js";
import {
  type AppHarness,
  actionsToken,
  api,
  exampleArtifact,
  FLUX_SECRET,
  tipOf,
  useApps,
  useFakeGitHub,
} from "../helpers/appHarness.js";

const gh = useFakeGitHub();
const apps = useApps();

const STAGING = "acme/gitops-staging";
const PRODUCTION = "acme/gitops-production";
const SECRETS = { [STAGING]: "staging-cluster-secret-0001", [PRODUCTION]: "production-cluster-secret-01" };
const CONFIG = `environments:
  staging: { repository: ${STAGING}, path: staging }
  dev: { repository: ${PRODUCTION}, path: dev }
`;

const manifest = (env: string): Manifest =>
  ({
    app: "shop",
    env,
    namespace: "shop",
    deploy: { event: "push", branch: "main" },
    values: { image: { repository: "ghcr.io/acme/shop", tag: "{{ .SHA }}" } },
  }) as Manifest;

function signed(sha: string, secret: string): { body: string; signature: string } {
  const revision = `main@sha1:${sha}`;
  const body = JSON.stringify({
    involvedObject: { kind: "Kustomization", name: "flux-system", namespace: "flux-system" },
    severity: "info",
    reason: "ReconciliationSucceeded",
    message: `Applied revision: ${revision}`,
    metadata: { revision },
  });
  return { body, signature: `sha256=${createHmac("sha256", secret).update(body).digest("hex")}` };
}

const post = (app: AppHarness, repository: string, event: { body: string; signature: string }) =>
  api(app, "POST", `/api/flux-events?repository=${repository}`, {
    body: event.body,
    headers: { "x-signature": event.signature },
  });

const statesOf = (env: string) =>
  [...gh.current.deployments.values()].filter((d) => d.environment === env).map((d) => gh.current.statesOf(d.id));

describe("attack: one cluster's Flux secret settles another cluster's releases", () => {
  test("a signature is valid only with the secret of the repository it names; the right one settles", async () => {
    const app = await apps.start({ fluxSecrets: parseFluxSecrets(JSON.stringify(SECRETS)) });
    gh.current.serve("acme/shop", { ".github/gimlet.yml": CONFIG });
    const token = await actionsToken(apps.oidc());
    const shipped = await api(app, "POST", "/api/artifacts", {
      token,
      body: exampleArtifact({ manifests: [manifest("staging"), manifest("dev")] }),
    });
    expect(shipped.body.decisions.map((d: { deploy: boolean }) => d.deploy)).toEqual([true, true]);
    await app.waitIdle();
    const stagingTip = tipOf(app.bare(STAGING));
    const productionTip = tipOf(app.bare(PRODUCTION));
    const waiting = [["in_progress"]];
    expect(statesOf("dev")).toEqual(waiting);

    // the staging cluster's secret, naming the production repository: refused, nothing settled
    const crossed = await post(app, PRODUCTION, signed(productionTip, SECRETS[STAGING]));
    expect(crossed.status).toBe(401);
    expect(crossed.body.error.code).toBe("unauthenticated");
    // the shared FLUX_WEBHOOK_SECRET no longer settles a repository that has its own
    expect((await post(app, PRODUCTION, signed(productionTip, FLUX_SECRET))).status).toBe(401);
    // the production secret, but a revision that is not a commit of the production repository's branch
    const foreign = await post(app, PRODUCTION, signed(stagingTip, SECRETS[PRODUCTION]));
    expect(foreign.status).toBe(202);
    expect(foreign.body).toMatchObject({ ignored: true, reasonCode: "revision_not_on_branch" });
    expect(statesOf("dev")).toEqual(waiting);

    // the legitimate path: each cluster with its own secret
    const settled = await post(app, PRODUCTION, signed(productionTip, SECRETS[PRODUCTION]));
    expect(settled.status).toBe(200);
    expect(statesOf("dev")).toEqual([["in_progress", "success"]]);
    expect((await post(app, STAGING, signed(stagingTip, SECRETS[STAGING]))).status).toBe(200);
    expect(statesOf("staging")).toEqual([["in_progress", "success"]]);
  });

  test("FLUX_WEBHOOK_SECRETS problems are path: message", () => {
    expect(() => parseFluxSecrets('{"acme": "short"}')).toThrow(
      "FLUX_WEBHOOK_SECRETS.acme: must be owner/repo (the gitops repository)\nFLUX_WEBHOOK_SECRETS.acme: must be a secret of at least 16 characters",
    );
    expect(() => parseFluxSecrets("[]")).toThrow(
      'FLUX_WEBHOOK_SECRETS: must be a JSON object: {"owner/gitops-repo": "secret"}',
    );
  });
});
