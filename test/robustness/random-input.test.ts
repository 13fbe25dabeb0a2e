// Property 1: any text at all — random bytes, random strings, the characters that matter to the
// scanner (CR, LF, tab, 1Ah, NUL, quotes, `<`, `;`, non-ASCII) — assembles without an exception
// and every diagnostic is well formed and points inside the file; text that assembles also runs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runSafely } from "./running.js";
import { assembleSafely, checkDiagnostics, checkRun, errorsOf, params, randomText, PROPERTY_LIMIT_MS, withinTime } from "./support.js";

const RUNS = 500;

describe("random input", () => {
  it(`assemble never throws and reports well-formed diagnostics (${RUNS} runs)`, () => {
    withinTime(PROPERTY_LIMIT_MS, "the random-input property", () =>
      fc.assert(
        fc.property(randomText, (text) => {
          const files = [{ name: "random.asm", text }];
          const result = assembleSafely(files);
          expect(Array.isArray(result.diagnostics)).toBe(true);
          checkDiagnostics(result.diagnostics, files);
          // What assembles (mostly blank or comment-only text) also runs.
          if (errorsOf(result.diagnostics).length === 0) checkRun(runSafely(result, 10_000), 10_000, files);
        }),
        params(0x5eed_0001, RUNS),
      ),
    );
  });

  it(`the same holds for two files assembled together (${RUNS / 5} runs)`, () => {
    withinTime(PROPERTY_LIMIT_MS, "the two-file property", () =>
      fc.assert(
        fc.property(randomText, randomText, (a, b) => {
          const files = [
            { name: "a.asm", text: a },
            { name: "b.asm", text: b },
          ];
          checkDiagnostics(assembleSafely(files).diagnostics, files);
        }),
        params(0x5eed_0002, RUNS / 5),
      ),
    );
  });
});
