// Bundles the library and the CLI with esbuild, so that start-up does not pay for resolving
// and parsing hundreds of module files (chevrotain's package entry alone is slow to import).
import { build } from "esbuild";
import { mkdirSync } from "node:fs";

mkdirSync("dist", { recursive: true });
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  // chalk and commander are small ESM/CJS packages; bundling them too keeps start-up to one file.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
};
await build({ ...common, entryPoints: ["src/index.ts"], outfile: "dist/index.js" });
await build({ ...common, entryPoints: ["src/cli/entry.ts"], outfile: "dist/cli.js" });
