export * from "./ci/index.js";
export * from "./dotenv.js";
export * from "./id.js";
export * from "./parse.js";
export * from "./schema.js";
export * from "./secrets.js";
export * from "./variables.js";
