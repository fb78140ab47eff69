/**
 * Where editors fetch the JSON Schemas: the raw files in this repository's default branch, a URL that does not
 * depend on where an app repository sits. `acme/gimlet-for-github` is the placeholder owner/repo used throughout
 * (package.json `repository`); a fork that publishes the schemas elsewhere changes it here and runs `npm run schemas`.
 */
export const SOURCE_REPOSITORY = "acme/gimlet-for-github";
export const SCHEMA_BASE_URL = `https://raw.githubusercontent.com/${SOURCE_REPOSITORY}/main/schema/`;
export const MANIFEST_SCHEMA_URL = `${SCHEMA_BASE_URL}manifest.schema.json`;
export const CONFIG_SCHEMA_URL = `${SCHEMA_BASE_URL}gimlet-config.schema.json`;
