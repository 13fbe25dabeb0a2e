// A handler for a message that cannot fail can return CF = 1 (vmm-facts §1.3, §7 rules 2 and 10).
import type { Rule } from "../types.js";
import { CF1 } from "../values.js";
import { messageOf } from "./support.js";
import { w95 } from "./uri.js";

export const carryFromNonFailableMessage: Rule = {
  meta: {
    id: "carry-from-non-failable-message",
    code: "L0113",
    severity: "error",
    summary: "a handler of a message that cannot fail returns with CF set",
    explanation:
      "A control procedure answers a message with CF: clear for success (and for every message it does not " +
      "handle), set for failure. Only some messages may fail (Sys_Critical_Init, Device_Init, Create_VM, " +
      "VM_Init …); for the others - VM_Terminate, Destroy_VM, System_Exit, Power_Event … - the DDK says the " +
      "handler must return CF clear (Power_Event refuses by writing PWR_FAIL through EDI). Lint runs the control " +
      "procedure once per message, with EAX holding it, and reports a return to the VMM where CF is known to be " +
      "set on some path (stc, or the taken side of a jc).",
    source: "W95DDK:S3425 and the message pages (S3431, S3446, S343C …); VMMH95",
    helpUri: w95("S3425"),
    bad: "BeginProc MyDev_Destroy_VM\n\tVMMcall Validate_VM_Handle\n\tjc\tbad\t\t; CF = 1 goes back to the VMM\n\tclc\nbad:\tret\nEndProc MyDev_Destroy_VM",
    good: "BeginProc MyDev_Destroy_VM\n\tVMMcall Validate_VM_Handle\n\tjc\tbad\n\t...\nbad:\tclc\t\t\t; Destroy_VM cannot fail\n\tret\nEndProc MyDev_Destroy_VM",
  },
  check({ program: p, report }) {
    const byRet = new Map<number, Set<string>>();
    const returns = p.rootReturns.of("message");
    for (let k = 0; k < returns.length; k++) {
      const r = returns[k]!;
      if (!(r.cf & CF1)) continue;
      const m = messageOf(r.ctx);
      if (!m || m.failable !== "cannot-fail") continue;
      let set = byRet.get(r.index);
      if (!set) byRet.set(r.index, (set = new Set()));
      set.add(m.name);
    }
    for (const [index, names] of byRet) {
      const list = [...names];
      report({
        span: p.span(index),
        message: `this returns with CF set while handling ${list.join(", ")}, which cannot fail`,
        help: "return with CF clear (clc) for this message; the DDK gives no way to fail it",
      });
    }
  },
};
