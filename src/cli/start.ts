// How a vmmasm process runs one command line. Both entry points, the plain bundle (entry.ts) and the
// start-up snapshot (snapshot-entry.ts), start here.
import { tuneCompiler } from "./compiler-tuning.js";
import { ExitCode } from "./exit-codes.js";
import { exitOnceFlushed, quietOnClosedPipe } from "./streams.js";

export function startCli(args: readonly string[], run: (args: readonly string[]) => number): void {
  tuneCompiler(args[0]);
  quietOnClosedPipe();
  try {
    process.exitCode = run(args);
  } catch (e) {
    reportInternalError(e);
  }
  exitOnceFlushed(typeof process.exitCode === "number" ? process.exitCode : ExitCode.OK);
}

/** A bug of ours, not bad input: say so plainly. */
export function reportInternalError(e: unknown): void {
  process.stderr.write(`vmmasm: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\nPlease report this with the input that caused it.\n`);
  process.exitCode = ExitCode.INTERNAL_ERROR;
}
