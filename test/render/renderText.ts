import type { Manifest } from "../../shared/manifest/schema.js";
import { renderObjects, toRenderedFiles } from "../../shared/render/index.js";

/** The rendered folder as one multi-document YAML text: each file introduced by a `# ==> <path> <==` line. */
export function renderText(manifest: Manifest): string {
  return toRenderedFiles(renderObjects(manifest))
    .map((file) => `# ==> ${file.path} <==\n${file.content}`)
    .join("---\n");
}

export function onechartManifest(values: Record<string, unknown> | undefined, extra: Partial<Manifest> = {}): Manifest {
  return {
    app: "shop",
    env: "staging",
    namespace: "shop",
    chart: { repository: "https://chart.onechart.dev", name: "onechart", version: "0.73.0" },
    values,
    ...extra,
  };
}
