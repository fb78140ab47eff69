export * from "./schema.js";
export * from "./load.js";
export * from "./yaml.js";
export * from "./jsonSchema.js";
