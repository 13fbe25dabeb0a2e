// A handler of PNP_New_Devnode or Power_Event returns with a register changed that it must keep (vmm-facts §1.3, §7 rule 3).
import { registerByName } from "../../front/registers.js";
import type { Rule } from "../types.js";
import { K_OPAQUE } from "../values.js";
import { isEntry, messageOf } from "./support.js";
import { w95 } from "./uri.js";

export const handlerClobbersPreserved: Rule = {
  meta: {
    id: "handler-clobbers-preserved",
    code: "L0122",
    severity: "error",
    summary: "a handler returns with a register changed that its message says to preserve",
    explanation:
      "For most messages a control procedure may change every general register. Two are exceptions: " +
      "PNP_New_Devnode is a C-style message whose handler must keep EBX, ESI, EDI and EBP, and a Power_Event " +
      "handler must keep EDX. Lint runs the control procedure for those messages and reports a return to the VMM " +
      "where such a register no longer holds its value on entry.",
    source: "W95DDK:S343B; VDAG31 Power_Event; W95DDK:S343C",
    helpUri: w95("S343B"),
    bad: "BeginProc MyDev_Power\n\tmov\tedx, [Power_State]\t; Power_Event: EDX must survive\n\tclc\n\tret\nEndProc MyDev_Power",
    good: "BeginProc MyDev_Power\n\tpush\tedx\n\tmov\tedx, [Power_State]\n\tpop\tedx\n\tclc\n\tret\nEndProc MyDev_Power",
  },
  check({ program: p, report }) {
    const done = new Set<string>();
    const returns = p.rootReturns.of("message");
    for (let k = 0; k < returns.length; k++) {
      const r = returns[k]!;
      const m = messageOf(r.ctx);
      if (!m || m.preserves.length === 0) continue;
      const changed = m.preserves.filter((name) => {
        const reg = registerByName(name);
        const v = reg ? r.regs[reg.reg] : undefined;
        return v !== undefined && v.k !== K_OPAQUE && !isEntry(v, name.toUpperCase());
      });
      const key = `${r.index}|${m.name}`;
      if (!changed.length || done.has(key)) continue;
      done.add(key);
      report({
        span: p.span(r.index),
        message: `this returns from ${m.name} with ${changed.join(", ")} changed, which the handler must preserve`,
        help: `save ${changed.join(", ")} on entry and restore ${changed.length === 1 ? "it" : "them"} before returning`,
      });
    }
  },
};
