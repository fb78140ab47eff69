export * from "./render.js";
export * from "./select.js";
