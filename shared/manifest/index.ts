export * from "./jsonSchema.js";
export * from "./load.js";
export * from "./schema.js";
export * from "./yaml.js";
