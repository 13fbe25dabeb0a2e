// Call_Priority_VM_Event reached on a path where EAX (the boost) was never set (vmm-facts §4.2, §7 rule 21).
import type { Rule } from "../types.js";
import { describeCtx, EAX } from "./support.js";
import { w95 } from "./uri.js";

export const priorityBoostUnset: Rule = {
  meta: {
    id: "priority-boost-unset",
    code: "L0107",
    severity: "warning",
    summary: "Call_Priority_VM_Event reached on a path where EAX (the priority boost) was not set",
    explanation:
      "Call_Priority_VM_Event takes the priority boost in EAX (0 for none); the DDK page warns that leaving EAX " +
      "unset is a common error - whatever happens to be there boosts the VM, possibly past Critical_Section_Boost " +
      "or out of range. Lint follows each root (a control procedure for one message, a callback, a procedure nobody " +
      "calls) to the call and reports it when some path reaches it without any instruction or call having written EAX.",
    source: "W95DDK:S31E4; VDAG31 Call_Priority_VM_Event",
    helpUri: w95("S31E4"),
    bad: "\tmov\tecx, PEF_Wait_For_STI\n\tmov\tesi, OFFSET32 My_Event\n\tVMMcall Call_Priority_VM_Event\t; EAX: whatever it was",
    good: "\tmov\teax, Low_Pri_Device_Boost\n\tmov\tecx, PEF_Wait_For_STI\n\tmov\tesi, OFFSET32 My_Event\n\tVMMcall Call_Priority_VM_Event",
  },
  check({ program: p, report }) {
    const calls = p.serviceCalls.of("Call_Priority_VM_Event");
    for (let k = 0; k < calls.length; k++) {
      const c = calls[k]!;
      if (c.written & (1 << EAX)) continue;
      // A SERVICE is called by code lint does not see, which may well set EAX.
      const root = p.procAt(c.ctx.root);
      if (c.ctx.kind === "procedure" && root && (root.options.includes("SERVICE") || root.options.includes("ASYNC_SERVICE"))) continue;
      report({
        span: p.span(c.index),
        message: "EAX (the priority boost) is not set on a path to Call_Priority_VM_Event",
        help: "load EAX with the boost before the call, e.g. `mov eax, Low_Pri_Device_Boost` (0 for none)",
        notes: [`reached ${describeCtx(p, c.ctx)}`],
      });
    }
  },
};
