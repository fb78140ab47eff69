import { z } from "zod";
import { CONFIG_SCHEMA_URL } from "../schemaUrls.js";
import { gimletConfigSchema } from "./schema.js";

export function gimletConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(gimletConfigSchema, {
    target: "draft-7",
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return {
    $schema,
    $id: CONFIG_SCHEMA_URL,
    title: "Gimlet configuration (.github/gimlet.yml)",
    ...rest,
  };
}
