export * from "./jsonSchema.js";
export * from "./load.js";
export * from "./merge.js";
export * from "./schema.js";
export * from "./trust.js";
