export * from "./cleanup.js";
export * from "./decide.js";
export * from "./deploy.js";
export * from "./glob.js";
export * from "./preview.js";
