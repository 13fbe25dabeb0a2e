// Property 3: every example, mutated (a line deleted, duplicated or swapped, a character deleted
// or inserted, the text truncated, a token replaced by another vocabulary word), still assembles
// and runs (50,000 steps, one extra VM) without an exception, with well-formed diagnostics.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyMutation, assembleSafely, checkDiagnostics, checkRun, exampleFiles, mutation, params, PROPERTY_LIMIT_MS, withinTime } from "./support.js";
import { runSafely } from "./running.js";

const MAX_STEPS = 50_000;
const examples = exampleFiles();
/** About 400 mutated files in all, at least 30 of each example. */
const RUNS_PER_EXAMPLE = Math.max(30, Math.ceil(400 / Math.max(1, examples.length)));

describe("mutated examples", () => {
  it("there are examples to mutate", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it("the examples themselves assemble without errors and run", () => {
    for (const file of examples) {
      const result = assembleSafely([file]);
      checkDiagnostics(result.diagnostics, [file]);
      expect(result.diagnostics.filter((d) => d.severity === "error"), file.name).toEqual([]);
      checkRun(runSafely(result, MAX_STEPS, 1), MAX_STEPS, [file]);
    }
  });

  for (const [i, file] of examples.entries()) {
    it(`${file.name}: 1-4 mutations never throw (${RUNS_PER_EXAMPLE} runs)`, () => {
      withinTime(PROPERTY_LIMIT_MS, `mutations of ${file.name}`, () =>
        fc.assert(
          fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
            const text = mutations.reduce(applyMutation, file.text);
            const files = [{ name: file.name, text }];
            const result = assembleSafely(files);
            checkDiagnostics(result.diagnostics, files);
            checkRun(runSafely(result, MAX_STEPS, 1), MAX_STEPS, files);
          }),
          params(0x5eed_0100 + i, RUNS_PER_EXAMPLE),
        ),
      );
    });
  }
});
