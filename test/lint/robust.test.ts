// Lint never throws, whatever it is given: random programs made of VxD-style lines (with calls,
// jumps, loops, callbacks, dispatch blocks, segment registers, half-written lines) give findings
// with well-formed spans and nothing else.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lint } from "../../src/lint/lint.js";

const LINES = [
  "\tmov\teax, Create_VM",
  "\tmov\teax, BEGIN_RESERVED_PRIVATE_SYSTEM_CONTROL + 1",
  "\tmov\tecx, 5",
  "\txor\tesi, esi",
  "\tmov\tesi, OFFSET32 P1",
  "\tmov\tesi, OFFSET32 P2",
  "\tVMMcall System_Control",
  "\tVMMcall Call_VM_Event",
  "\tVMMcall Call_Priority_VM_Event",
  "\tVMMcall Set_Async_Time_Out",
  "\tVMMcall Cancel_VM_Event",
  "\tVMMcall Get_Crit_Section_Status",
  "\tVxDcall VPICD_Phys_EOI",
  "\tmov\t[hEvt], esi",
  "\txchg\tesi, [hEvt]",
  "\tcall\tP1",
  "\tcall\tP2",
  "\tjmp\tP2",
  "\tjc\tL1",
  "\tjnz\tL2",
  "\tloop\tL1",
  "L1:",
  "L2:\tnop",
  "\tret",
  "\tstc",
  "\tclc",
  "\tsti",
  "\tpush\tebp",
  "\tpop\tebp",
  "\tpush\tds",
  "\tpop\tes",
  "\tmov\tds, ax",
  "\tpushfd",
  "\tpopfd",
  "\tjmp\teax",
  "\tcall\t[hEvt]",
  "\tcmp\teax, Destroy_VM",
  "\tje\tL1",
  "\tmov\tebp, esp",
  "\tleave",
  "\tmov\teax, [esp+4]",
  "\tUnknown_Macro 1, 2",
  "\tmov\teax,",
  "\tinclude missing.inc",
];

const program = fc.array(fc.constantFrom(...LINES), { maxLength: 14 }).map((body) =>
  [
    "\t.386p",
    "\tinclude vmm.inc",
    "Declare_Virtual_Device R, 1, 0, R_Control, Undefined_Device_ID, Undefined_Init_Order",
    "VxD_LOCKED_DATA_SEG",
    "hEvt\tdd\t0",
    "VxD_LOCKED_DATA_ENDS",
    "Begin_Control_Dispatch R",
    "\tControl_Dispatch Device_Init, P1",
    "\tControl_Dispatch Destroy_VM, P2",
    "End_Control_Dispatch R",
    "VxD_LOCKED_CODE_SEG",
    "BeginProc P1",
    ...body.slice(0, 7),
    "\tret",
    "EndProc P1",
    "BeginProc P2",
    ...body.slice(7),
    "\tret",
    "EndProc P2",
    "VxD_LOCKED_CODE_ENDS",
  ].join("\n"),
);

describe("lint on random programs", () => {
  it("never throws and gives well-formed findings", () => {
    fc.assert(
      fc.property(program, (text) => {
        const r = lint([{ name: "r.asm", text }]);
        for (const f of r.findings) {
          expect(typeof f.message).toBe("string");
          if (f.span) {
            expect(f.span.line).toBeGreaterThanOrEqual(1);
            expect(f.span.endLine).toBeGreaterThanOrEqual(f.span.line);
            if (f.span.endLine === f.span.line) expect(f.span.endColumn).toBeGreaterThanOrEqual(f.span.column);
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
