import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Manifest } from "../../shared/manifest/index.js";
import type { AppHarness } from "./appHarness.js";
import type { FakeGitHub } from "./fakeGitHub.js";
import { git } from "./gitRepos.js";

/** The organisation's file: it owns staging and production (DESIGN §7). */
export const ORG_CONFIG = `
environments:
  staging:
    repository: acme/gitops-staging
    path: staging
  production:
    repository: acme/gitops-production
    path: ""
    production: true
    repositories: [acme/shop]
    namespaces: ["shop*"]
artifacts: { repository: acme/gitops-staging, branch: gimlet-artifacts }
`;

/** The deploy policy on acme/shop's default branch (trusted ground): production deploys pushes to main. */
export const TRUSTED_PRODUCTION = `app: shop
env: production
namespace: shop
deploy: { event: push, branch: main }
values: { image: { repository: ghcr.io/acme/shop, tag: "{{ .SHA }}" } }
`;

export function productionManifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    app: "shop",
    env: "production",
    namespace: "shop",
    deploy: { event: "push", branch: "main" },
    values: { image: { repository: "ghcr.io/acme/shop", tag: "{{ .SHA }}" } },
    ...overrides,
  } as Manifest;
}

/** Every ref of every gitops bare repo the app could write: equal before and after means nothing was written. */
export function gitopsRefs(app: AppHarness): Record<string, string> {
  const root = join(app.root, "gitops");
  const refs: Record<string, string> = {};
  if (!existsSync(root)) return refs;
  for (const owner of readdirSync(root))
    for (const repo of readdirSync(join(root, owner))) {
      // reading an env's locks creates an empty bare repo in local mode: no ref, nothing written
      const out = git(join(root, owner, repo), ["for-each-ref", "--format=%(refname) %(objectname)"]);
      if (out) refs[`${owner}/${repo}`] = out;
    }
  return refs;
}

/** The organisation's file, acme/shop's own files, and the trusted production policy on acme/shop's main. */
export function orgSetup(gh: FakeGitHub, repoFiles: Record<string, string> = {}): void {
  gh.serve("acme/.github", { ".github/gimlet.yml": ORG_CONFIG });
  gh.serve("acme/shop", repoFiles);
  gh.serve("acme/shop", { ".gimlet/production.yaml": TRUSTED_PRODUCTION }, "main");
}
