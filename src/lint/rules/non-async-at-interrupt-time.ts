// Code that runs at hardware-interrupt time calls a service that is not asynchronous (vmm-facts §3.2, §7 rules 12-13).
import type { Rule } from "../types.js";
import { describeCtx } from "./support.js";
import { w95 } from "./uri.js";

export const nonAsyncAtInterruptTime: Rule = {
  meta: {
    id: "non-async-at-interrupt-time",
    code: "L0105",
    severity: "error",
    summary: "code that runs at hardware-interrupt time calls a service that is not asynchronous",
    explanation:
      "The VMM is not re-entrant. Code entered by a hardware interrupt - a VPICD hardware-interrupt procedure " +
      "(VID_Hw_Int_Proc), the callback of Set_Async_Time_Out, an ASYNC_SERVICE procedure - may call only the " +
      "services the DDK documents as asynchronous, VPICD's, and the event services; everything else must wait for " +
      "an event callback. Lint follows calls and jumps from each such root and reports every service call on the " +
      "way whose table entry is not asynchronous (or not documented as asynchronous). Callbacks of " +
      "Set_Global_Time_Out and Set_VM_Time_Out run at event time and are not roots of this rule.",
    source: "W95DDK:S31D2; W95DDK:S2300; W95DDK:S32E4; VDAG31 Get_VMM_Reenter_Count; VDAG31 BeginProc; W30VDAG §17.1.2",
    helpUri: w95("S31D2"),
    bad: "BeginProc My_Hw_Int\n\tVMMcall _HeapAllocate, <16, 0>\t; not asynchronous\n\tclc\n\tret\nEndProc My_Hw_Int",
    good: "BeginProc My_Hw_Int\n\tmov\tesi, OFFSET32 My_Event\t; do the work at event time\n\tVMMcall Schedule_Global_Event\n\tclc\n\tret\nEndProc My_Hw_Int",
  },
  check({ program: p, report }) {
    const serviceCalls = p.facts.serviceCalls;
    for (let k = 0; k < serviceCalls.length; k++) {
      const c = serviceCalls[k]!;
      if (!c.ctx.interruptTime || !c.service || c.service.async === true) continue;
      const what = c.service.async === false ? "is not asynchronous" : "is not documented as asynchronous";
      report({
        span: p.span(c.index),
        message: `\`${c.service.name}\` ${what}, but this code runs at hardware-interrupt time`,
        help: "call only asynchronous services here; schedule an event (Schedule_Global_Event, Call_VM_Event …) and do the rest in its callback",
        notes: [`reached ${describeCtx(p, c.ctx)}`],
      });
    }
  },
};
