// The library API: assemble, run and inspect VxD sources from TypeScript.
export * from "./ir/types.js";
