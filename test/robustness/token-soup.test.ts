// Property 2: lines made of the real vocabulary (mnemonics, registers, directives, VxD macros,
// VMM names, numbers in every radix, strings, punctuation, labels, @@/@B/@F) in random order.
// assemble never throws; a soup that assembles without errors also runs without an exception,
// within its step bound, ending ok, in a fault or in a violation.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runSafely } from "./running.js";
import { assembleSafely, checkDiagnostics, checkRun, errorsOf, params, PROPERTY_LIMIT_MS, SCALE, soupFile, withinTime } from "./support.js";

const RUNS = 500;
const MAX_STEPS = 10_000;

/** Lines that make a soup more likely to assemble and run: a device, a loop, a macro, data. */
const scaffold = fc.constantFrom(
  "",
  "\t.386p\n\tinclude vmm.inc\n",
  "\tinclude vmm.inc\nDeclare_Virtual_Device MyDev, 1, 0, MyDev_Control, Undefined_Device_ID, Undefined_Init_Order\nBeginProc MyDev_Control\n\tclc\n\tret\nEndProc MyDev_Control\n",
  "spin:\n\tinc eax\n\tjmp spin\n",
  "M MACRO x\n\tmov eax, x\nENDM\n",
  "tbl2 dd 1, 2, 3\nfoo2 dd ?\n",
  "\tinclude vmm.inc\nBegin_Control_Dispatch MyDev\nControl_Dispatch Sys_VM_Init, Handler\nEnd_Control_Dispatch MyDev\nBeginProc Handler\n\tclc\n\tret\nEndProc Handler\n",
);

describe("token soup", () => {
  it(`assemble never throws; what assembles runs within ${MAX_STEPS} steps (${RUNS} runs)`, () => {
    let ran = 0;
    withinTime(PROPERTY_LIMIT_MS, "the token-soup property", () =>
      fc.assert(
        fc.property(scaffold, soupFile, scaffold, fc.nat(2), (before, soup, after, vms) => {
          const files = [{ name: "soup.asm", text: before + soup + after }];
          const result = assembleSafely(files);
          checkDiagnostics(result.diagnostics, files);
          if (errorsOf(result.diagnostics).length > 0) return;
          ran++;
          checkRun(runSafely(result, MAX_STEPS, vms), MAX_STEPS, files);
        }),
        params(0x5eed_0003, RUNS),
      ),
    );
    // The property is only meaningful if some soups get as far as running.
    console.log(`token soup: ${ran} of ${Math.round(RUNS * SCALE)} soups assembled and ran`);
    expect(ran).toBeGreaterThan((RUNS * SCALE) / 10);
  });

  it("a runaway program stops at the step bound with a step-limit diagnostic", () => {
    const files = [{ name: "loop.asm", text: "top:\n\tinc eax\n\tjmp top\n" }];
    const result = assembleSafely(files);
    expect(errorsOf(result.diagnostics)).toEqual([]);
    const run = runSafely(result, MAX_STEPS);
    expect(run.status).toBe("fault");
    expect(run.steps).toBe(MAX_STEPS);
    expect(run.diagnostics.map((d) => d.name)).toContain("step-limit");
    checkRun(run, MAX_STEPS, files);
  });
});
