import { z } from "zod";
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
    $id: "https://gimlet.io/schemas/gimlet-config.schema.json",
    title: "Gimlet configuration (.github/gimlet.yml)",
    ...rest,
  };
}
