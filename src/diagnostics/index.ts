export * from "./diagnostic.js";
export * from "./codes.js";
export * from "./render.js";
export * from "./color.js";
