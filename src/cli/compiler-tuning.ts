// V8 settings for a short command that starts cold, set at run time (flags on the command line do
// not fit the start-up snapshot). Much of a vmmasm command runs while its functions are still being
// compiled, on a second thread that competes for the same cores, so the settings trade a little peak
// speed for less compiling:
// - The optimising compiler inlines up to 300 bytes of bytecode into a function instead of 920: it
//   spent a tenth to a third less CPU time on a large lint (bench/lint.mjs), and neither the main
//   thread's time nor the simulated machine's speed (bench/machine-loop.mjs) changed.
// - Lint runs hundreds of functions over one large program once. V8 watches which allocation sites'
//   objects survive and, when it starts allocating them in the old generation, throws away the
//   optimised code of every function that allocates there: ten of the front end's hottest functions,
//   twice per run, each compiled again. Without that, and without loop peeling, a lint of the
//   benchmark source executed 7% fewer instructions (bench/lint-work.mjs), and the main thread's CPU
//   time fell by a tenth to a sixth in alternating runs. Without escape analysis as well, 2% fewer
//   again: it costs compile time on large functions and finds little in lint's code to keep off the heap.
import { setFlagsFromString } from "node:v8";

export function tuneCompiler(command: string | undefined): void {
  setFlagsFromString("--max-inlined-bytecode-size-cumulative=300");
  if (command === "lint") {
    setFlagsFromString("--no-allocation-site-pretenuring");
    setFlagsFromString("--no-turbo-loop-peeling");
    setFlagsFromString("--no-turbo-escape");
  }
}
