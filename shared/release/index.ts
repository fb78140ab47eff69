export * from "./lint.js";
export * from "./render.js";
export * from "./select.js";
