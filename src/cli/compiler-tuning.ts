// V8's optimising compiler inlines up to 920 bytes of bytecode into each function it compiles. A
// vmmasm command is short and starts cold: much of its work runs while its functions are still
// being compiled, on a second thread that competes for the same cores. With a smaller budget the
// compiler spent a tenth to a third less CPU time on a large lint (bench/lint.mjs), the main thread's
// time did not change, and the simulated machine's speed neither (bench/machine-loop.mjs).
import { setFlagsFromString } from "node:v8";

export function tuneCompiler(): void {
  setFlagsFromString("--max-inlined-bytecode-size-cumulative=300");
}
