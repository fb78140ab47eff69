import type { OnechartValues } from "./values.js";

const GIT_ANNOTATIONS = {
  sha: ["gitSha", "gimlet.io/git-sha"],
  repository: ["gitRepository", "gimlet.io/git-repository"],
  branch: ["gitBranch", "gimlet.io/git-branch"],
} as const;

/** The `gimlet.io/git-*` annotations onechart puts on its objects, for the ones whose values are set. */
export function gitAnnotations(
  values: OnechartValues,
  which: ReadonlyArray<keyof typeof GIT_ANNOTATIONS>,
): Record<string, string> {
  const annotations: Record<string, string> = {};
  for (const key of which) {
    const [valueKey, annotation] = GIT_ANNOTATIONS[key];
    const value = values[valueKey];
    if (value !== undefined) annotations[annotation] = value;
  }
  return annotations;
}
