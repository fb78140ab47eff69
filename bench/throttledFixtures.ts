/** What bench/throttled.bench.ts ships and delivers: artifacts, PR artifacts, real webhook and Flux payloads. */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadManifests, type Manifest } from "../shared/manifest/index.js";
import { fakeSha } from "../test/helpers/gitRepos.js";
import { webhookExample as realPayload } from "../test/helpers/webhookExamples.js";

export const example = join(import.meta.dirname, "..", "examples", "shop");
export const FLUX_SECRET = "bench-flux";

/** A real payload from @octokit/webhooks-examples, moved onto acme/shop. */
export function webhookExample(name: string, pick: (payload: Record<string, any>) => boolean): Record<string, any> {
  const payload = realPayload(name, pick);
  Object.assign(payload.repository, { full_name: "acme/shop", name: "shop", default_branch: "main" });
  payload.repository.owner.login = "acme";
  return payload;
}

const loaded = loadManifests([
  { file: ".gimlet/staging.yaml", text: readFileSync(join(example, ".gimlet", "staging.yaml"), "utf8") },
])[0]?.manifest;
if (!loaded) throw new Error("examples/shop/.gimlet/staging.yaml is missing");
export const staging: Manifest = loaded;
export const configText = readFileSync(join(example, ".github", "gimlet.yml"), "utf8");

export const artifactFor = (i: number, app = "shop") => ({
  version: {
    repositoryName: "acme/shop",
    sha: fakeSha(7000 + i),
    branch: "main",
    event: "push" as const,
    message: "bench",
  },
  environments: [{ ...staging, app }],
});

export const COMMENTER = "octo-dev";
export const PR = 7;

/** A PR artifact of acme/shop (event `pr`, head branch feature/<pr>) carrying `manifest`. */
export function prArtifactFor(i: number, manifest: Manifest, pr = PR) {
  const artifact = artifactFor(i, manifest.app);
  return {
    ...artifact,
    version: {
      ...artifact.version,
      event: "pr" as const,
      branch: `feature/${pr}`,
      sourceBranch: `feature/${pr}`,
      targetBranch: "main",
      prNumber: pr,
    },
    environments: [manifest],
  };
}

export function fluxBody(sha: string): { body: string; signature: string } {
  const revision = `main@sha1:${sha}`;
  const body = JSON.stringify({
    involvedObject: { kind: "Kustomization", name: "flux-system", namespace: "flux-system" },
    severity: "info",
    reason: "ReconciliationSucceeded",
    message: `Applied revision: ${revision}`,
    metadata: { revision },
  });
  return { body, signature: `sha256=${createHmac("sha256", FLUX_SECRET).update(body).digest("hex")}` };
}
