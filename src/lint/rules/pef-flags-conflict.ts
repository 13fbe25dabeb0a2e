// PEF_* flags and boosts of a priority event that cannot work together (vmm-facts §4.4, §4.5, §7 rule 21).
import { BOOSTS } from "../../vmm/tables/events.js";
import { pefFlag } from "../facts.js";
import type { Rule } from "../types.js";
import { hex, isConstVal } from "./support.js";
import { w95 } from "./uri.js";

const boost = (name: string): number => BOOSTS.find((b) => b.name === name)!.value;

export const pefFlagsConflict: Rule = {
  meta: {
    id: "pef-flags-conflict",
    code: "L0123",
    severity: "error",
    summary: "a priority event asked for with flags or a boost that cannot work",
    explanation:
      "Call_Priority_VM_Event and Call_Restricted_Event take PEF_* flags in ECX and a boost in EAX. " +
      "PEF_Wait_For_STI and PEF_Wait_For_Thread_STI exclude each other; with PEF_Wait_Not_Crit a boost of " +
      "Critical_Section_Boost or more means the event never runs (the VM's own boost keeps it from being " +
      "below Critical_Section_Boost); and a boost at or above Reserved_High_Boost leaves the range the scheduler " +
      "allows. Lint reports the call when ECX (and EAX) are known.",
    source: "W95DDK:S31E4; W95DDK:S31E8; VMMH95",
    helpUri: w95("S31E4"),
    bad: "\tmov\teax, Critical_Section_Boost\n\tmov\tecx, PEF_Wait_Not_Crit\n\tVMMcall Call_Priority_VM_Event\t; never runs",
    good: "\tmov\teax, High_Pri_Device_Boost\n\tmov\tecx, PEF_Wait_Not_Crit\n\tVMMcall Call_Priority_VM_Event",
  },
  check({ program: p, report }) {
    const sti = pefFlag("PEF_Wait_For_STI");
    const threadSti = pefFlag("PEF_Wait_For_Thread_STI");
    const notCrit = pefFlag("PEF_Wait_Not_Crit");
    const done = new Set<number>();
    const callbacks = p.facts.callbacks;
    for (let k = 0; k < callbacks.length; k++) {
      const cb = callbacks[k]!;
      if (cb.service.kind !== "priority-event" || done.has(cb.site)) continue;
      const problems: string[] = [];
      if (isConstVal(cb.ecx) && (cb.ecx.n & sti) && (cb.ecx.n & threadSti)) problems.push("PEF_Wait_For_STI and PEF_Wait_For_Thread_STI exclude each other");
      if (isConstVal(cb.ecx) && (cb.ecx.n & notCrit) && isConstVal(cb.eax) && (cb.eax.n | 0) >= boost("Critical_Section_Boost")) {
        problems.push(`with PEF_Wait_Not_Crit a boost of ${hex(cb.eax.n)} (Critical_Section_Boost or more) means the event never runs`);
      }
      if (isConstVal(cb.eax) && (cb.eax.n | 0) >= boost("Reserved_High_Boost")) problems.push(`the boost ${hex(cb.eax.n)} is not below Reserved_High_Boost`);
      if (!problems.length) continue;
      done.add(cb.site);
      report({
        span: p.span(cb.site),
        message: `${cb.service.service.name}: ${problems.join("; ")}`,
        help: "see the flag and boost rules of the DDK page for the service",
      });
    }
  },
};
