// Running under a time limit (kept apart from support.ts so that the assemble-only properties do
// not load the simulated VMM).
import type { AssembleResult } from "../../src/front/index.js";
import { runProgram, type RunResult } from "../../src/run/run-program.js";
import { CALL_LIMIT_MS, withinTime } from "./support.js";

/** runProgram under a time limit. */
export function runSafely(result: AssembleResult, maxSteps: number, vms = 0): RunResult {
  return withinTime(CALL_LIMIT_MS, "runProgram", () => runProgram(result.program, { maxSteps, vms }));
}
