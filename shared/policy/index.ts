export * from "./glob.js";
export * from "./deploy.js";
export * from "./cleanup.js";
export * from "./preview.js";
export * from "./decide.js";
