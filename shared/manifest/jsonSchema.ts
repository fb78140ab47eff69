import { z } from "zod";
import { MANIFEST_SCHEMA_URL } from "../schemaUrls.js";
import { manifestSchema } from "./schema.js";

export const MANIFEST_SCHEMA_ID = MANIFEST_SCHEMA_URL;

/** JSON Schema of `.gimlet/*.yaml` for editors (yaml-language-server), generated from the zod schema. */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(manifestSchema, { target: "draft-7", io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  const { $schema, ...rest } = schema;
  return { $schema, $id: MANIFEST_SCHEMA_ID, title: "Gimlet environment manifest", ...rest };
}
