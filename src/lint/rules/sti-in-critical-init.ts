// STI while handling a message that must run with interrupts disabled (vmm-facts §7 rule 7).
import { Op } from "../../ir/types.js";
import type { Rule } from "../types.js";
import { messageOf } from "./support.js";
import { w95 } from "./uri.js";

export const stiInCriticalInit: Rule = {
  meta: {
    id: "sti-in-critical-init",
    code: "L0115",
    severity: "error",
    summary: "STI while handling Sys_Critical_Init, VM_Critical_Init, Sys_Critical_Exit or Crit_Reboot_Notify",
    explanation:
      "These messages are sent with interrupts disabled, and the DDK says the handler must not enable them: " +
      "nothing is ready to service an interrupt yet (or any more). Lint runs the control procedure with EAX " +
      "holding each such message and reports an STI reached on the way, in the handler or anything it calls.",
    source: "W95DDK:S3442; W95DDK:S344B; W95DDK:S3440; W95DDK:S342D",
    helpUri: w95("S3442"),
    bad: "BeginProc MyDev_Sys_Crit_Init\n\tsti\t\t\t; interrupts must stay off\n\tclc\n\tret\nEndProc MyDev_Sys_Crit_Init",
    good: "BeginProc MyDev_Sys_Crit_Init\n\t; set up without enabling interrupts; the rest waits for Device_Init\n\tclc\n\tret\nEndProc MyDev_Sys_Crit_Init",
  },
  check({ program: p, report }) {
    const byIndex = new Map<number, Set<string>>();
    const notable = p.facts.notable;
    for (let k = 0; k < notable.length; k++) {
      const f = notable[k]!;
      if (p.instrs[f.index]!.op !== Op.STI || f.ctx.kind !== "message") continue;
      const m = messageOf(f.ctx);
      if (!m || m.mayEnableInterrupts) continue;
      let set = byIndex.get(f.index);
      if (!set) byIndex.set(f.index, (set = new Set()));
      set.add(m.name);
    }
    for (const [index, names] of byIndex) {
      report({
        span: p.span(index),
        message: `STI while handling ${[...names].join(", ")}, which must run with interrupts disabled`,
        help: "leave interrupts off in this handler; do what needs them in a later message (Device_Init, VM_Init …)",
      });
    }
  },
};
