export * from "./schema.js";
export * from "./parse.js";
export * from "./id.js";
export * from "./variables.js";
export * from "./secrets.js";
export * from "./dotenv.js";
export * from "./ci/index.js";
