// The bundled executable's entry point.
import { main } from "./main.js";
import { exitOnceFlushed, quietOnClosedPipe } from "./streams.js";
import { tuneCompiler } from "./compiler-tuning.js";

tuneCompiler(process.argv[2]);
quietOnClosedPipe();
try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  // A bug of ours, not bad input: say so plainly.
  process.stderr.write(`vmmasm: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\nPlease report this with the input that caused it.\n`);
  process.exitCode = 70;
}
exitOnceFlushed(typeof process.exitCode === "number" ? process.exitCode : 0);
