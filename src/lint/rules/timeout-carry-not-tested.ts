// A callback scheduled with PEF_Time_Out changes CF before testing it (vmm-facts §4.2, §7 rule 17).
import type { Rule } from "../types.js";
import { at, procName } from "./support.js";
import { w95 } from "./uri.js";

export const timeoutCarryNotTested: Rule = {
  meta: {
    id: "timeout-carry-not-tested",
    code: "L0110",
    severity: "error",
    summary: "a callback scheduled with PEF_Time_Out changes CF before testing it",
    explanation:
      "With PEF_Time_Out, Call_Priority_VM_Event and Call_Restricted_Event call the callback with CF set when the " +
      "time-out expired first (any boost is then cancelled, and EBX may not be the requested VM) and with CF clear " +
      "otherwise. The callback must test CF before anything that alters it. Lint finds the callbacks scheduled with " +
      "ECX known to hold PEF_Time_Out and reports the first instruction on some path that sets CF without reading it.",
    source: "VDAG31 Call_Priority_VM_Event; W95DDK:S31E6; W95DDK:S31E8",
    helpUri: w95("S31E6"),
    bad: "BeginProc My_Event\n\tcmp\t[Busy], 0\t; CF is lost\n\tjc\ttimed_out\nEndProc My_Event",
    good: "BeginProc My_Event\n\tmov\t[hEvent], 0\t; leaves CF alone\n\tjc\ttimed_out\nEndProc My_Event",
  },
  check({ program: p, report }) {
    const done = new Set<number>();
    const carryLosses = p.facts.carryLosses;
    for (let k = 0; k < carryLosses.length; k++) {
      const loss = carryLosses[k]!;
      if (loss.id >= 0) continue;
      const ctx = p.facts.ctxs[-loss.id - 2];
      if (!ctx || done.has(ctx.id)) continue;
      done.add(ctx.id);
      report({
        span: p.span(loss.at),
        message: `CF says whether the time-out of callback \`${procName(p, ctx.root)}\` expired, but this changes CF before it is tested`,
        help: "test CF first (jc timed_out); instructions like mov, push and pop leave it alone",
        notes: [`scheduled with PEF_Time_Out by ${ctx.via} at ${at(p, ctx.origin)}`],
      });
    }
  },
};
