import { ConfigError, type Problem } from "../errors.js";
import { parseYamlDocuments } from "../manifest/yaml.js";
import { compileGlob } from "../policy/glob.js";
import { parseGimletConfig } from "./load.js";
import type { EnvironmentConfig, GimletConfig } from "./schema.js";

/** One `.github/gimlet.yml` as read: the validated config, the YAML value it came from, and where it was read. */
export interface ConfigFile {
  config: GimletConfig;
  /** The parsed YAML before defaults: it tells a key the file set from a default. */
  raw: unknown;
  /** `owner/repo:.github/gimlet.yml`, for messages. */
  source: string;
}

/**
 * Parse one `.github/gimlet.yml` keeping its raw YAML value beside the validated config. With `org`, an entry that
 * narrows an organisation environment needn't repeat its `repository` (it is taken from the organisation's file
 * for validation only: `raw` still shows it was not set).
 */
export function parseConfigFile(text: string, source: string, org?: ConfigFile): ConfigFile {
  const documents = parseYamlDocuments(text, source);
  if (documents.length !== 1) throw ConfigError.at(source, "expected one YAML document");
  const raw = documents[0];
  let value = raw;
  const envs = (raw as { environments?: unknown } | null)?.environments;
  if (org && envs && typeof envs === "object" && !Array.isArray(envs)) {
    const filled: Record<string, unknown> = {};
    for (const [name, env] of Object.entries(envs as Record<string, unknown>)) {
      const owned = org.config.environments[name];
      filled[name] =
        owned && env && typeof env === "object" && !("repository" in env)
          ? { ...env, repository: owned.repository }
          : env;
    }
    value = { ...(raw as object), environments: filled };
  }
  return { config: parseGimletConfig(value, source), raw, source };
}

type EnvKey = keyof EnvironmentConfig;

/** Keys a repository file may set on an organisation environment, each only to narrow it. */
const NARROWABLE: ReadonlySet<EnvKey> = new Set([
  "url",
  "production",
  "deployers",
  "repositories",
  "branches",
  "namespaces",
  "clusterScoped",
]);

function keysSet(raw: unknown, env: string): Set<string> {
  const envs = (raw as { environments?: Record<string, unknown> } | undefined)?.environments;
  const value = envs?.[env];
  return new Set(value && typeof value === "object" ? Object.keys(value) : []);
}

const hasGlob = (pattern: string) => /[*?[\]{}!\\]/.test(pattern);

/** `entry` allows nothing `allowed` does not: it is one of them, or a plain name one of them matches. */
function covered(entry: string, allowed: readonly string[], caseInsensitive = false): boolean {
  const norm = (s: string) => (caseInsensitive ? s.toLowerCase() : s);
  if (allowed.some((a) => norm(a) === norm(entry))) return true;
  return !hasGlob(entry) && allowed.some((a) => compileGlob(norm(a))(norm(entry)));
}

function sameRepository(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The configuration a repository deploys with (DESIGN §7). The organisation's file owns its environments; the
 * repository's file may add environments of its own and narrow, never widen, an organisation environment: it can't
 * move it to another gitops repository, branch or path, turn `production` off, or add repositories, branches,
 * namespaces, cluster-scoped kinds or deployers. Every violation is reported at once, as `file: path: message`.
 * Without an organisation file the repository's file is the whole configuration.
 */
export function mergeGimletConfigs(org: ConfigFile | undefined, repo: ConfigFile | undefined): GimletConfig {
  if (!org) {
    if (!repo) throw ConfigError.at(".github/gimlet.yml", "no Gimlet configuration");
    return repo.config;
  }
  if (!repo) return org.config;
  const problems: Problem[] = [];
  const at = (path: string, message: string) => problems.push({ path: `${repo.source}: ${path}`, message });
  const environments: Record<string, EnvironmentConfig> = { ...org.config.environments };
  const orgRepositories = Object.entries(org.config.environments).map(([name, env]) => ({ name, env }));

  for (const [name, wanted] of Object.entries(repo.config.environments)) {
    const owned = org.config.environments[name];
    if (!owned) {
      // An environment of the repository's own: it may not write where an organisation environment lives.
      const taken = orgRepositories.find((o) => sameRepository(o.env.repository, wanted.repository));
      if (taken)
        at(
          `environments.${name}.repository`,
          `${wanted.repository} is the gitops repository of the organisation's environment ${taken.name}; only ${org.source} may configure environments there`,
        );
      else environments[name] = wanted;
      continue;
    }
    const set = keysSet(repo.raw, name);
    const path = (key: string) => `environments.${name}.${key}`;
    for (const key of ["repository", "branch", "path"] as const) {
      if (!set.has(key)) continue;
      const mine = key === "path" ? (wanted.path ?? name) : wanted[key];
      const theirs = key === "path" ? (owned.path ?? name) : owned[key];
      const same = key === "repository" ? sameRepository(String(mine), String(theirs)) : mine === theirs;
      if (!same)
        at(
          path(key),
          `the organisation's environment ${name} lives at ${JSON.stringify(theirs)} (${org.source}); a repository can't move it`,
        );
    }
    for (const key of set)
      if (!NARROWABLE.has(key as EnvKey) && !["repository", "branch", "path"].includes(key))
        at(path(key), "unknown key");
    const merged: EnvironmentConfig = { ...owned };
    if (set.has("url")) merged.url = wanted.url;
    if (set.has("production")) {
      if (owned.production && !wanted.production)
        at(path("production"), `the organisation marks ${name} as production; a repository can't turn that off`);
      merged.production = owned.production || wanted.production;
    }
    const narrowList = (
      key: "deployers" | "repositories" | "branches" | "namespaces",
      noun: string,
      caseInsensitive: boolean,
    ) => {
      if (!set.has(key)) return;
      const mine = wanted[key] ?? [];
      const theirs = owned[key];
      if (!theirs && key === "branches" && owned.production) {
        // production without `branches` takes the default branch only: any list a repository names would widen it
        at(
          path(key),
          `the organisation's ${name} is production and takes policy deploys from the default branch only; only ${org.source} can name branches for it`,
        );
        return;
      }
      if (!theirs) {
        merged[key] = mine;
        return;
      }
      const extra = mine.filter((entry) =>
        key === "deployers"
          ? !theirs.some((t) => t.toLowerCase() === entry.toLowerCase())
          : !covered(entry, theirs, caseInsensitive),
      );
      if (extra.length)
        at(
          path(key),
          `${extra.join(", ")} ${extra.length === 1 ? "is" : "are"} not among the organisation's ${noun} for ${name} (${theirs.join(", ")}); a repository may only narrow them`,
        );
      else merged[key] = mine;
    };
    narrowList("deployers", "deployers", true);
    narrowList("repositories", "repositories", true);
    narrowList("branches", "branches", false);
    narrowList("namespaces", "namespaces", false);
    if (set.has("clusterScoped")) {
      const mine = wanted.clusterScoped;
      const theirs = owned.clusterScoped;
      const widens =
        theirs === true
          ? false
          : theirs === false
            ? mine !== false
            : mine === true || (Array.isArray(mine) && mine.some((kind) => !theirs.includes(kind)));
      if (widens)
        at(
          path("clusterScoped"),
          `the organisation allows ${theirs === false ? "no cluster-scoped objects" : JSON.stringify(theirs)} in ${name}; a repository may only narrow that`,
        );
      else merged.clusterScoped = mine;
    }
    environments[name] = merged;
  }

  let artifacts = org.config.artifacts;
  if (repo.config.artifacts) {
    const orgArtifacts = artifacts ?? {
      repository: Object.values(org.config.environments)[0]?.repository ?? "",
      branch: "gimlet-artifacts",
    };
    if (
      !sameRepository(repo.config.artifacts.repository, orgArtifacts.repository) ||
      repo.config.artifacts.branch !== orgArtifacts.branch
    )
      at("artifacts", `artifact files go to ${orgArtifacts.repository}@${orgArtifacts.branch} (${org.source})`);
    artifacts = orgArtifacts;
  }
  if (problems.length) throw ConfigError.of(problems);
  return { environments, ...(artifacts ? { artifacts } : {}) };
}
