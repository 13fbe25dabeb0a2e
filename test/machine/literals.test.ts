// The executor's switch statements use number literals (so V8 compiles them to jump tables); each
// carries a comment naming the constant it stands for. This checks every such pair.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Cond, Op } from "../../src/ir/types.js";
import * as decode from "../../src/machine/decode.js";

const names: Record<string, number> = {};
for (const [k, v] of Object.entries(Op)) names[`Op.${k}`] = v;
for (const [k, v] of Object.entries(Cond)) names[`Cond.${k}`] = v;
for (const [k, v] of Object.entries(decode)) if (typeof v === "number") names[k] = v;

describe("case labels", () => {
  for (const file of ["execute.ts", "strings.ts", "flags.ts"]) {
    it(`${file}: every literal case label matches the constant it names`, () => {
      const text = readFileSync(new URL(`../../src/machine/${file}`, import.meta.url), "utf8");
      const pairs = [...text.matchAll(/case (\d+):\s*(?:\{\s*)?\/\/ ((?:Op\.|Cond\.)?[A-Z_0-9]+)/g)];
      expect(pairs.length).toBeGreaterThanOrEqual(file === "execute.ts" ? 100 : 4);
      const wrong = pairs.filter(([, n, name]) => names[name!] !== Number(n)).map(([, n, name]) => `${n} ${name}`);
      expect(wrong).toEqual([]);
    });
  }

  it("every IR op has a case in the executor", () => {
    const text = readFileSync(new URL("../../src/machine/execute.ts", import.meta.url), "utf8");
    const covered = new Set([...text.matchAll(/case (\d+):/g)].map((m) => Number(m[1])));
    const missing = Object.entries(Op).filter(([, v]) => !covered.has(v)).map(([k]) => k);
    expect(missing).toEqual([]);
  });
});
