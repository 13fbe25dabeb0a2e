// Small helpers for tests: assemble text, run it, find diagnostics.
import { assemble, type AssembleOptions } from "../../src/front/index.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { runProgram, type RunOptions, type RunResult } from "../../src/run/run-program.js";

export function asm(text: string, options: AssembleOptions = {}, name = "test.asm") {
  return assemble([{ name, text }], options);
}

export function errors(diags: readonly Diagnostic[]): Diagnostic[] {
  return diags.filter((d) => d.severity === "error");
}

/** Assembles (failing the test on any error) and runs. */
export function run(text: string, options: RunOptions = {}, assembleOptions: AssembleOptions = {}): RunResult {
  const r = asm(text, assembleOptions);
  const errs = errors(r.diagnostics);
  if (errs.length) throw new Error(`assembly failed: ${errs.map((d) => `${d.span?.line}: ${d.message}`).join("; ")}`);
  return runProgram(r.program, options);
}

export function hex(n: number): string {
  return (n >>> 0).toString(16).toUpperCase().padStart(8, "0");
}
