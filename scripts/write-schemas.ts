// Write the generated JSON Schemas: `tsx scripts/write-schemas.ts [--out DIR]` (default schema/).
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gimletConfigJsonSchema } from "../shared/config/jsonSchema.js";
import { manifestJsonSchema } from "../shared/manifest/jsonSchema.js";

export const schemas: Record<string, () => Record<string, unknown>> = {
  "manifest.schema.json": manifestJsonSchema,
  "gimlet-config.schema.json": gimletConfigJsonSchema,
};

const outIndex = process.argv.indexOf("--out");
const out = resolve((outIndex >= 0 ? process.argv[outIndex + 1] : undefined) ?? "schema");
mkdirSync(out, { recursive: true });
for (const [file, build] of Object.entries(schemas)) {
  writeFileSync(join(out, file), `${JSON.stringify(build(), null, 2)}\n`);
}
