import type { Artifact } from "./schema.js";

/** Names every plugin sets the same way; they win over context, items and vars. */
export const BUILT_IN_VARIABLES = [
  "REPO",
  "OWNER",
  "BRANCH",
  "TAG",
  "SHA",
  "ACTOR",
  "EVENT",
  "JOB",
  "PR_NUMBER",
  "APP",
  "ENV",
] as const;

function builtIns(artifact: Artifact): Record<string, string> {
  const { version, context } = artifact;
  const owner = version.repositoryName.slice(0, version.repositoryName.lastIndexOf("/"));
  const values: Record<string, string | undefined> = {
    REPO: version.repositoryName,
    OWNER: owner,
    BRANCH: version.branch,
    TAG: version.tag,
    SHA: version.sha,
    ACTOR: context.ACTOR,
    EVENT: version.event,
    JOB: context.JOB,
    PR_NUMBER: version.prNumber?.toString(),
  };
  // A built-in without a value stays undefined, so a template using it fails with "missing variable" instead of rendering "".
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => Boolean(entry[1])));
}

/** Template variables: context ∪ string values of items ∪ each item's url by its name ∪ vars (later wins), then the built-ins, then APP and ENV. */
export function templateVariables(artifact: Artifact, target?: { app?: string; env?: string }): Record<string, string> {
  const fromItems: Record<string, string> = {};
  for (const item of artifact.items) {
    for (const [key, value] of Object.entries(item)) if (typeof value === "string") fromItems[key] = value;
  }
  // An item is addressable by its name, the way `--item image=ghcr.io/acme/shop:abc` is written: {{ .image }} is its
  // url. Gimlet's `name`/`url` keys above keep working, but with several items only the last one's survive.
  for (const item of artifact.items) {
    if (typeof item.name === "string" && item.name && typeof item.url === "string") fromItems[item.name] = item.url;
  }
  const variables: Record<string, string> = {
    ...artifact.context,
    ...fromItems,
    ...artifact.vars,
    ...builtIns(artifact),
  };
  if (target?.app) variables.APP = target.app;
  if (target?.env) variables.ENV = target.env;
  return variables;
}
