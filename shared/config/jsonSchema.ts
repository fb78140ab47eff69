import { z } from "zod";
import { CONFIG_SCHEMA_URL } from "../schemaUrls.js";
import { gimletConfigSchema } from "./schema.js";

interface ObjectSchema {
  properties?: Record<string, { description?: string }>;
  required?: string[];
}

/**
 * The JSON Schema editors complete `.github/gimlet.yml` with. An editor can't tell an organisation's file from a
 * repository's, and a repository's entry that narrows an organisation environment may leave out `repository`
 * (parseConfigFile takes it from the organisation's file), so here `repository` is described, not required. The
 * server still requires it wherever it is not inherited.
 */
export function gimletConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(gimletConfigSchema, {
    target: "draft-7",
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  const environments = (schema.properties as Record<string, { additionalProperties?: ObjectSchema }>).environments;
  const environment = environments?.additionalProperties;
  if (environment?.required) {
    environment.required = environment.required.filter((key) => key !== "repository");
    if (environment.required.length === 0) delete environment.required;
    const repository = environment.properties?.repository;
    if (repository)
      repository.description = `${repository.description} Required, except in a repository's file for an environment the organisation's file defines.`;
  }
  const { $schema, ...rest } = schema;
  return {
    $schema,
    $id: CONFIG_SCHEMA_URL,
    title: "Gimlet configuration (.github/gimlet.yml)",
    ...rest,
  };
}
