// Driver-sized sources: a DDK-style sample device lints with no error or warning, and the same
// device with two bugs put in gets exactly those two findings.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lint } from "../../src/lint/lint.js";

const dir = join(import.meta.dirname, "drivers");
const run = (name: string) => lint([{ name, text: readFileSync(join(dir, name), "latin1") }]).findings;

describe("driver-sized sources", () => {
  it("a sample device lints with no error or warning", () => {
    expect(run("vsample.asm").filter((f) => f.severity !== "note")).toEqual([]);
  });

  it("finds the two bugs put into it, and nothing else", () => {
    const found = run("vsample-bad.asm").filter((f) => f.severity !== "note").map((f) => `${f.name}:${f.span?.line}`);
    expect(found).toEqual(["non-async-at-interrupt-time:110", "callback-clobbers-preserved:131"]);
  });
});
