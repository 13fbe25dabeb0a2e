export * from "./messages.js";
export * from "./devices.js";
export * from "./services.js";
export * from "./events.js";
export * from "./structures.js";
export * from "./constants.js";
