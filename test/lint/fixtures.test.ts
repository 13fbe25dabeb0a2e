// Every rule has fixtures in test/lint/fixtures/<rule id>/: bad-*.asm (or note-*.asm) break it,
// good-*.asm keep it. Each fixture ends with `; expect: <rule> <line>:<col>-<endLine>:<endCol>`
// lines (or `; expect: nothing`): the findings lint must report for the file, exactly, with all
// rules on.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lint } from "../../src/lint/lint.js";
import { RULES } from "../../src/lint/registry.js";

const root = join(import.meta.dirname, "fixtures");
const dirs = readdirSync(root).sort();

function expectations(text: string): string[] {
  return [...text.matchAll(/^; expect: (.*)$/gm)].map((m) => m[1]!.trim()).filter((e) => e !== "nothing");
}

describe("lint fixtures", () => {
  it("has a directory of fixtures for every rule, and a rule for every directory", () => {
    expect(dirs).toEqual(RULES.map((r) => r.meta.id).sort());
  });

  for (const dir of dirs) {
    const files = readdirSync(join(root, dir)).filter((f) => f.endsWith(".asm")).sort();
    describe(dir, () => {
      it("has fixtures that break the rule and fixtures that keep it", () => {
        const breaking = files.filter((f) => !f.startsWith("good"));
        expect(breaking.length).toBeGreaterThan(0);
        expect(files.filter((f) => f.startsWith("good")).length).toBeGreaterThan(0);
        for (const f of breaking) expect(expectations(readFileSync(join(root, dir, f), "latin1")).some((e) => e.startsWith(`${dir} `))).toBe(true);
      });
      for (const file of files) {
        it(`${file}: exactly the expected findings`, () => {
          const text = readFileSync(join(root, dir, file), "latin1");
          const r = lint([{ name: `${dir}/${file}`, text }]);
          const got = r.findings.map((f) => `${f.name} ${f.span!.line}:${f.span!.column}-${f.span!.endLine}:${f.span!.endColumn}`);
          expect(got).toEqual(expectations(text));
          if (file.startsWith("good")) expect(r.findings).toEqual([]);
        });
      }
    });
  }
});
