// Inputs the robustness properties found, each kept as a small test of its own.
import { describe, expect, it } from "vitest";
import { runSafely } from "./running.js";
import { assemble } from "../../src/front/index.js";
import { assembleSafely, checkDiagnostics, checkRun, errorsOf, withinTime } from "./support.js";

function errorsIn(text: string): string[] {
  const files = [{ name: "r.asm", text }];
  const { diagnostics } = assembleSafely(files);
  checkDiagnostics(diagnostics, files);
  return errorsOf(diagnostics).map((d) => `${d.span?.line}:${d.span?.column} ${d.name}`);
}

describe("regressions", () => {
  it("a bad character gives one error, not a cascade from the rest of its line", () => {
    expect(errorsIn("\tmov eax, 1 # 2\n")).toEqual(["1:13 bad-character"]);
    expect(errorsIn("\tmov eax, #\n")).toEqual(["1:11 bad-character"]);
    expect(errorsIn("\tmov eax, ##\n")).toEqual(["1:11 bad-character"]);
    expect(errorsIn("\tmov eax, # 'abc\n")).toEqual(["1:11 bad-character"]);
  });

  it("a MACRO header dropped for a lexical error takes its body and ENDM with it", () => {
    expect(errorsIn("\tnop\nM MACRO x 'ab\n\tmov eax, x\nENDM\n\tnop\n")).toEqual(["2:11 unterminated-string"]);
    expect(errorsIn("REPT 2\nnop\nENDM\nM MACRO x #\n\tmov eax, x\nENDM\n\tnop\n")).toEqual(["4:11 bad-character"]);
  });

  it("a 16- or 8-bit register in brackets is an error, not silently its 32-bit register", () => {
    expect(errorsIn("\tmov eax, [si]\n")).toEqual(["1:11 bad-operand"]);
    expect(errorsIn("\tmov eax, [ax]\n")).toEqual(["1:11 bad-operand"]);
    expect(errorsIn("\tmov eax, tbl[al]\ntbl dd 1\n")).toEqual(["1:11 bad-operand"]);
    expect(errorsIn("\tinclude vmm.inc\n\tmov eax, bp.Client_EAX\n")).toEqual(["2:11 bad-operand"]);
    expect(errorsIn("\tinclude vmm.inc\n\tmov eax, [ebp.Client_EAX]\n\tmov eax, [ebx+esi*4+8]\n")).toEqual([]);
  });

  it("a bare ECHO or %OUT gives a note with a message", () => {
    for (const text of ["ECHO\n", "\t%out\n", "ECHO ; nothing\n"]) {
      const files = [{ name: "r.asm", text }];
      const { diagnostics } = assembleSafely(files);
      checkDiagnostics(diagnostics, files);
      expect(diagnostics.map((d) => d.name)).toEqual(["out-message"]);
    }
  });

  it("an error found when lowering a macro expansion points at the invocation, not into the expansion", () => {
    // Before: 2:19 (line 2, column 19 of Fatal_Error's expansion text), outside the one-line file.
    expect(errorsIn("Fatal_Error @F\t\n")).toEqual(["1:1 undefined-symbol"]);
    expect(errorsIn("\tnop\n\tRestoreReg <Get_VMM_Version>\n")).toEqual(["2:2 undefined-symbol"]);
    expect(errorsIn("M MACRO x\n\tnop\n\tmov eax, x\nENDM\n\tnop\n\tM nowhere\n")).toEqual(["6:2 undefined-symbol"]);
    expect(errorsIn("M MACRO\n\tnop\n\tdd nowhere\nENDM\n\tM\n")).toEqual(["5:2 undefined-symbol"]);
    expect(errorsIn("\tinclude vmm.inc\nM MACRO\n\n\nDeclare_Virtual_Device MyDev, 1, 0, nowhere\nENDM\n\tM\n")).toEqual(["7:2 undefined-symbol"]);
    const { diagnostics } = assembleSafely([{ name: "r.asm", text: "M MACRO x\n\tmov eax, x\nENDM\n\tM nowhere\n" }]);
    expect(diagnostics[0]?.notes).toContain("in the expansion of `M`");
  });

  it("`?` in an instruction operand is an error, not the value 0", () => {
    expect(errorsIn("\tmov eax, ?\n")).toEqual(["1:11 bad-expression"]);
    expect(errorsIn("\tmov eax, [ebx + ?]\n")).toEqual(["1:18 bad-expression"]);
    expect(errorsIn("\tpush ?\n")).toEqual(["1:7 bad-expression"]);
    expect(errorsIn("x dd ?\n\tmov eax, x\n")).toEqual([]);
  });

  it("a macro that invokes itself twice ends with one diagnostic, not 2^64 expansions", () => {
    // Before: ran out of memory after minutes (every leaf of the recursion reported the depth).
    expect(errorsIn("M MACRO\n\tM\n\tM\nENDM\n\tM\n")).toEqual(["5:2 macro-error"]);
    expect(errorsIn("M MACRO\n\tnop\n\tM\n\tM\nENDM\nREPT 100\n\tM\nENDM\n")).toEqual(["6:1 macro-error"]);
  });

  it("a text equate that contains itself twice ends with one diagnostic, at once", () => {
    // Before: each level doubled the line and substitution was quadratic in it: no end in sight.
    // Then: about a second, to the bound on all expansions. Now the line's length stops it.
    const t0 = performance.now();
    expect(errorsIn("X EQU <X X>\n\tmov eax, X\n")).toEqual(["2:2 macro-error"]);
    expect(errorsIn("X0 EQU <X1 + X1>\nX1 EQU <X0>\n\tmov eax, X0\n")).toEqual(["3:2 macro-error"]);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it("nested REPTs with large counts end at the expansion bound", () => {
    expect(errorsIn("REPT 100000\nREPT 100000\n\tnop\nENDM\nENDM\n")).toEqual(["1:1 macro-error"]);
  });

  it("data past the 64 MiB image is an error at its line, not a RangeError", () => {
    expect(errorsIn("a db 40000000 dup (?)\nb db 40000000 dup (?)\n")).toEqual(["2:1 bad-expression"]);
    expect(errorsIn("\tdb 1\n\tALIGN 80000000h\n")).toEqual(["2:2 bad-expression"]);
  });

  it("an expression nested too deeply for the stack is an error, not a RangeError", () => {
    const parens = "(".repeat(5000) + "1" + ")".repeat(5000);
    expect(errorsIn(`\tmov eax, ${parens}\n`)).toEqual(["1:2 bad-expression"]);
    expect(errorsIn(`\tmov eax, ${"NOT ".repeat(20000)}1\n`)).toEqual(["1:2 bad-expression"]);
    expect(errorsIn(`\tmov eax, ${"- ".repeat(20000)}1\n`)).toEqual(["1:2 bad-expression"]);
    const sum = Array(50000).fill("1").join("+");
    expect(errorsIn(`\tmov eax, ${sum}\n`)).toEqual(["1:2 bad-expression"]); // in lowering
    expect(errorsIn(`\tdd ${sum}\n`)).toEqual(["1:2 bad-expression"]); // in the data image
    expect(errorsIn(`X EQU ${parens}\n\tmov eax, X\n`)).toEqual(["2:2 bad-expression"]); // a text equate, then
    expect(errorsIn(`IF ${parens}\nENDIF\n`)).toEqual(["1:1 bad-expression"]);
    expect(errorsIn(`M MACRO\n\tmov eax, ${parens}\nENDM\n\tnop\n\tM\n`)).toEqual(["5:2 bad-expression"]);
  });

  it("an IF whose condition is in error still opens its block: its ELSE and ENDIF add no errors", () => {
    // Before: also "ENDIF without a matching IF", and the ELSE branch was assembled.
    expect(errorsIn("IF nowhere\n\tnop\nELSE\n\tfrob\nENDIF\n")).toEqual(["1:1 undefined-symbol"]);
    expect(errorsIn("IF 0\nELSEIF nowhere\n\tfrob\nELSE\n\tfrob2\nENDIF\n")).toEqual(["2:1 undefined-symbol"]);
    expect(errorsIn("IFIDN <a>\nENDIF\n")).toEqual(["1:1 bad-expression"]);
    expect(errorsIn("IF 0\n\tfrob\nELSEIF 1\n\tnop\nELSE\n\tfrob\nENDIF\n")).toEqual([]);
  });

  it("a device that sends System_Control from its control procedure on every message faults, not a RangeError", () => {
    // Found by mutating examples/system-control.asm (its `cmp eax, Init_Complete / jne` moved away).
    const files = [
      {
        name: "looper.asm",
        text: [
          "\tinclude vmm.inc",
          "Declare_Virtual_Device LOOPER, 1, 0, LOOPER_Control, Undefined_Device_ID, Undefined_Init_Order",
          "BeginProc LOOPER_Control",
          "\tmov eax, BEGIN_RESERVED_PRIVATE_SYSTEM_CONTROL + 1",
          "\tVMMcall System_Control",
          "\tclc",
          "\tret",
          "EndProc LOOPER_Control",
          "",
        ].join("\n"),
      },
    ];
    const result = assembleSafely(files);
    expect(errorsOf(result.diagnostics)).toEqual([]);
    const run = runSafely(result, 50_000);
    checkRun(run, 50_000, files);
    expect(run.status).toBe("fault");
    expect(run.diagnostics.map((d) => d.name)).toEqual(["stack-overflow"]);
    expect(run.diagnostics[0]!.notes?.[0]).toBe("while device LOOPER handled 70000001h");
  });

  it("a long operand list that only the Chevrotain parser takes costs linear time, not quadratic", () => {
    // A bad number sends the line to the Chevrotain parser, whose AST builder placed each of n
    // operands by scanning the commas from the first: 150,000 operands took some 13 s, now 2.
    const text = `\tdb 12G,${Array(150_000).fill("1").join(",")}\n`;
    const { diagnostics } = withinTime(8_000, "assembling 150,000 operands", () => assemble([{ name: "r.asm", text }]));
    expect(diagnostics.map((d) => d.name)).toEqual(["bad-number"]);
  });

  it("thousands of unknown names with vmm.inc take well under a second, not seconds each thousand", () => {
    // Each "did you mean" compared the name with all of vmm.inc's names: 5,000 undefined names took
    // some 12 s. Now the search stops early once a name is too far, and a file gets 300 hints.
    const lines = Array.from({ length: 5000 }, (_, i) => `\tmov eax, undefined_thing_${i}`);
    const text = `\tinclude vmm.inc\n\tmov eax, Sys_VM_Inti\n${lines.join("\n")}\n`;
    const { diagnostics } = withinTime(4_000, "assembling 5,000 undefined names", () => assemble([{ name: "r.asm", text }]));
    expect(diagnostics).toHaveLength(5001);
    expect(diagnostics[0]!.help).toBe("did you mean `Sys_VM_Init`?");
  });
});
