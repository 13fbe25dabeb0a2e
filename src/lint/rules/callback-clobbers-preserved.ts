// An event callback changes EBP, leaves ESP unbalanced or changes a segment register (vmm-facts §4.3, §7 rule 16).
import { EVENT_CALLBACK_MUST_PRESERVE } from "../../vmm/tables/events.js";
import type { Rule } from "../types.js";
import { K_OPAQUE, K_SYM, K_TOP, SEGS, type AbsVal } from "../values.js";
import { describeCtx, EBP, ESP, flatAsEntered, isEntry, procName } from "./support.js";
import { w95 } from "./uri.js";

const PRESERVED = new Set(EVENT_CALLBACK_MUST_PRESERVE.map((r) => r.toUpperCase()));
const PRESERVES_EBP = PRESERVED.has("EBP");
const PRESERVES_ESP = PRESERVED.has("ESP");
/** The segment registers a callback must preserve, with their places in a return's `segs`. */
const PRESERVED_SEGS = SEGS.flatMap((seg, index) => (PRESERVED.has(seg) ? [{ seg, index }] : []));

export const callbackClobbersPreserved: Rule = {
  meta: {
    id: "callback-clobbers-preserved",
    code: "L0106",
    severity: "error",
    summary: "an event callback returns with EBP, ESP or a segment register changed",
    explanation:
      "An event callback (of Schedule_/Call_Global_Event, Schedule_/Call_VM_Event, Call_Priority_VM_Event, " +
      "Call_Restricted_Event …) may change EAX, EBX, ECX, EDX, ESI and EDI (and the flags for priority events); " +
      "the VMM relies on EBP (its pointer to the client registers), ESP and the segment registers being as they " +
      "were. Lint runs each callback found handed to an event service and reports a return where EBP or a segment " +
      "register is not the value it had on entry, or where ESP does not point at the return address.",
    source: "W95DDK:S31D5; W95DDK:S31DA; W95DDK:S31E0; W95DDK:S31E6; VDAG31 Call_VM_Event",
    helpUri: w95("S31D5"),
    bad: "BeginProc My_Event\n\tmov\tebp, [My_Buffer]\t; EBP is the VMM's\n\tret\nEndProc My_Event",
    good: "BeginProc My_Event\n\tpush\tebp\n\tmov\tebp, [My_Buffer]\n\tpop\tebp\n\tret\nEndProc My_Event",
  },
  check({ program: p, report }) {
    const returns = p.rootReturns.of("event", "priority-event");
    for (let k = 0; k < returns.length; k++) {
      const r = returns[k]!;
      const problems: string[] = [];
      if (PRESERVES_EBP && changed(r.regs[EBP], "EBP")) problems.push("EBP changed");
      const sp = r.regs[ESP]!;
      if (PRESERVES_ESP && sp.k === K_SYM && sp.base === "SP" && sp.off !== 0) {
        problems.push(sp.off < 0 ? `${-sp.off} bytes left on the stack` : `${sp.off} bytes too many popped`);
      } else if (PRESERVES_ESP && sp.k === K_TOP) problems.push("ESP unbalanced on some path");
      for (let j = 0; j < PRESERVED_SEGS.length; j++) {
        const { seg, index } = PRESERVED_SEGS[j]!;
        const v = r.segs[index];
        if (v !== undefined && v.k !== K_OPAQUE && !flatAsEntered(v, seg)) problems.push(`${seg} changed`);
      }
      if (!problems.length) continue;
      report({
        span: p.span(r.index),
        message: `event callback \`${procName(p, r.ctx.root)}\` returns with ${problems.join(", ")}`,
        help: "an event callback may change EAX, EBX, ECX, EDX, ESI and EDI only; save and restore anything else it uses",
        notes: [describeCtx(p, r.ctx)],
      });
    }
  },
};

function changed(v: AbsVal | undefined, base: string): boolean {
  return v !== undefined && v.k !== K_OPAQUE && !isEntry(v, base);
}
