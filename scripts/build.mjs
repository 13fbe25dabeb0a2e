// Builds dist/: the library (dist/index.js), the CLI (dist/cli.js) and, where this Node.js can
// make one, a V8 start-up snapshot of the CLI (dist/vmmasm.blob) that bin/vmmasm starts from.
// Bundling keeps start-up to one file; the snapshot skips Chevrotain's grammar analysis at every
// start (about 15 ms) and the compile of the bundle.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";

mkdirSync("dist", { recursive: true });
const common = { bundle: true, platform: "node", target: "node20", sourcemap: false, legalComments: "none", logLevel: "warning" };
const esm = { ...common, format: "esm", banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } };
await build({ ...esm, entryPoints: ["src/index.ts"], outfile: "dist/index.js" });
await build({ ...esm, entryPoints: ["src/cli/entry.ts"], outfile: "dist/cli.js" });
// Identifiers are not minified: renaming them and putting the names back (keepNames) gave every
// class a static block that redefines its name, and V8 then stopped inlining construction of them.
await build({ ...common, format: "cjs", minifyWhitespace: true, minifySyntax: true, entryPoints: ["src/cli/snapshot-entry.ts"], outfile: "dist/cli-snapshot.cjs" });

// Type declarations for the library API (`import { assemble, runProgram } from "vmmasm"`). tsc writes
// them even when it finds type errors; `npm test` type-checks separately and fails on those.
try {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { stdio: ["ignore", "ignore", "inherit"] });
} catch {
  console.warn("vmmasm build: tsc reported type errors (run `npm run typecheck`); declarations were written anyway");
}

rmSync("dist/vmmasm.blob", { force: true });
rmSync("dist/vmmasm.blob.id", { force: true });
try {
  execFileSync(process.execPath, ["--no-warnings", "--snapshot-blob", "dist/vmmasm.blob", "--build-snapshot", "dist/cli-snapshot.cjs"], { stdio: ["ignore", "ignore", "pipe"] });
  // The blob fits only the node binary that made it: bin/vmmasm starts that one, unless it is newer than the blob.
  writeFileSync("dist/vmmasm.blob.id", `${process.execPath}\n`);
} catch (e) {
  console.warn(`vmmasm build: no start-up snapshot (${e instanceof Error ? e.message.split("\n")[0] : e}); bin/vmmasm runs dist/cli.js instead`);
}
