// Property 5: never a hang. Recursion of every kind the source can express — macros invoking
// themselves or each other, text equates containing themselves, files including themselves,
// programs looping or recursing forever — ends within a time limit, with a diagnostic, and
// without a stack overflow.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memoryFileSystem } from "../../src/front/files.js";
import { runSafely } from "./running.js";
import { assembleSafely, checkDiagnostics, checkRun, errorsOf, params, PROPERTY_LIMIT_MS, withinTime } from "./support.js";

function names(diags: readonly { name: string }[]): string[] {
  return diags.map((d) => d.name);
}

describe("termination: fixed cases", () => {
  it("a macro that invokes itself ends with a macro-error at the invocation", () => {
    const files = [{ name: "m.asm", text: "M MACRO\n\tM\nENDM\n\tM\n" }];
    const { diagnostics } = assembleSafely(files);
    checkDiagnostics(diagnostics, files);
    expect(errorsOf(diagnostics).map((d) => `${d.span?.line} ${d.name}`)).toEqual(["4 macro-error"]);
  });

  it("a file that includes itself ends with include-recursive", () => {
    const fs = memoryFileSystem({ "self.asm": "\tnop\n\tinclude self.asm\n" });
    const files = [{ name: "self.asm", text: "\tnop\n\tinclude self.asm\n" }];
    const { diagnostics } = assembleSafely(files, { fs });
    checkDiagnostics(diagnostics, files);
    expect(names(errorsOf(diagnostics))).toEqual(["include-recursive"]);
    expect(diagnostics[0]!.span?.line).toBe(2);
  });

  it("files that include each other end with include-recursive", () => {
    const fs = memoryFileSystem({ "a.inc": "\tinclude b.inc\n", "b.inc": "\tinclude c.inc\n", "c.inc": "\tinclude a.inc\n" });
    const { diagnostics } = assembleSafely([{ name: "main.asm", text: "\tinclude a.inc\n" }], { fs });
    expect(names(errorsOf(diagnostics))).toEqual(["include-recursive"]);
  });

  it("a text equate that contains itself ends with a macro-error", () => {
    for (const text of ["X EQU <X>\n\tX\n", "X TEXTEQU <mov eax, X>\n\tX\n", "X EQU <Y>\nY EQU <X>\n\tmov eax, X\n"]) {
      const files = [{ name: "t.asm", text }];
      const { diagnostics } = assembleSafely(files);
      checkDiagnostics(diagnostics, files);
      expect(names(errorsOf(diagnostics)), text).toEqual(["macro-error"]);
    }
  });

  it("a program that loops forever stops at the step bound", () => {
    const files = [{ name: "loop.asm", text: "top:\n\tjmp top\n" }];
    const run = runSafely(assembleSafely(files), 10_000);
    checkRun(run, 10_000, files);
    expect(run.status).toBe("fault");
    expect(names(run.diagnostics)).toEqual(["step-limit"]);
  });

  it("a program that recurses forever stops, on the stack or at the step bound", () => {
    const files = [{ name: "rec.asm", text: "f:\n\tpush eax\n\tcall f\n\tret\n" }];
    const run = runSafely(assembleSafely(files), 1_000_000);
    checkRun(run, 1_000_000, files);
    expect(run.status).toBe("fault");
    expect(names(run.diagnostics)).toEqual(["stack-overflow"]);
  });
});

// ---------------------------------------------------------------- random recursion shapes

/** Which nodes can reach a cycle, from node 0, in a graph given as adjacency lists. */
function reachesCycle(edges: readonly (readonly number[])[]): boolean {
  const state = new Array<number>(edges.length).fill(0); // 0 new, 1 on the path, 2 done
  const visit = (n: number): boolean => {
    if (state[n] === 1) return true;
    if (state[n] === 2) return false;
    state[n] = 1;
    for (const m of edges[n]!) if (visit(m)) return true;
    state[n] = 2;
    return false;
  };
  return visit(0);
}

/** k nodes, each with 0-3 edges (repeats allowed: a macro may invoke another twice). */
const graph = fc.integer({ min: 1, max: 5 }).chain((k) => fc.array(fc.array(fc.nat(k - 1), { maxLength: 3 }), { minLength: k, maxLength: k }));

describe("termination: random recursion", () => {
  it("macros invoking each other in any pattern end, with a macro-error exactly when they recurse (300 runs)", () => {
    withinTime(PROPERTY_LIMIT_MS, "the macro-graph property", () =>
      fc.assert(
        fc.property(graph, fc.boolean(), (edges, viaRept) => {
          const text =
            edges.map((calls, i) => [`M${i} MACRO`, "\tnop", ...calls.map((c) => `\tM${c}`), "ENDM"].join("\n")).join("\n") +
            (viaRept ? "\nREPT 3\n\tM0\nENDM\n" : "\n\tM0\n");
          const files = [{ name: "g.asm", text }];
          const { diagnostics } = assembleSafely(files);
          checkDiagnostics(diagnostics, files);
          const errors = errorsOf(diagnostics);
          if (reachesCycle(edges)) {
            expect(errors.length).toBeGreaterThan(0);
            expect(new Set(names(errors))).toEqual(new Set(["macro-error"]));
          } else {
            expect(errors).toEqual([]);
          }
        }),
        params(0x5eed_0005, 300),
      ),
    );
  });

  it("files including each other in any pattern end, with include-recursive exactly when they recurse (300 runs)", () => {
    withinTime(PROPERTY_LIMIT_MS, "the include-graph property", () =>
      fc.assert(
        fc.property(graph, (edges) => {
          const files: Record<string, string> = {};
          edges.forEach((incs, i) => (files[`f${i}.inc`] = [`l${i}:`, "\tnop", ...incs.map((c) => `\tinclude f${c}.inc`)].join("\n") + "\n"));
          const main = [{ name: "f0.inc", text: files["f0.inc"]! }];
          const { diagnostics } = assembleSafely(main, { fs: memoryFileSystem(files) });
          checkDiagnostics(diagnostics, files);
          const errors = errorsOf(diagnostics);
          if (reachesCycle(edges)) expect(names(errors)).toContain("include-recursive");
          else expect(errors.filter((d) => d.name !== "duplicate-symbol")).toEqual([]); // a file included twice defines its label twice
        }),
        params(0x5eed_0006, 300),
      ),
    );
  });

  it("text equates referring to each other in any pattern end (200 runs)", () => {
    withinTime(PROPERTY_LIMIT_MS, "the text-equate property", () =>
      fc.assert(
        fc.property(graph, (edges) => {
          const text = edges.map((refs, i) => `X${i} EQU <${refs.length ? refs.map((r) => `X${r}`).join(" + ") : "1"}>`).join("\n") + "\n\tmov eax, X0\n";
          const files = [{ name: "x.asm", text }];
          const { diagnostics } = assembleSafely(files);
          checkDiagnostics(diagnostics, files);
          if (reachesCycle(edges)) expect(names(errorsOf(diagnostics))).toContain("macro-error");
          else expect(errorsOf(diagnostics)).toEqual([]);
        }),
        params(0x5eed_0007, 200),
      ),
    );
  });
});
