// A System_Control/Directed_Sys_Control message that is neither a VMM message nor private (vmm-facts §1.1).
import { MAX_SYSTEM_CONTROL } from "../../vmm/tables/messages.js";
import { classifyMessage } from "../facts.js";
import type { Rule } from "../types.js";
import { describeCtx, EAX, hex, isConstVal } from "./support.js";
import { w95 } from "./uri.js";

export const privateMessageRange: Rule = {
  meta: {
    id: "private-message-range",
    code: "L0102",
    severity: "error",
    summary: "a message number that is neither a VMM message nor in 70000000h-7FFFFFFFh",
    explanation:
      "Message numbers up to MAX_SYSTEM_CONTROL belong to the VMM; 70000000h-7FFFFFFFh is reserved for messages " +
      "devices send each other, and the system never uses it. Any other number may become a VMM message in a " +
      "later Windows and would then reach every device with a meaning nobody intended. Lint reports a send whose " +
      "EAX is known and falls outside both ranges.",
    source: "VMMH95 (BEGIN_/END_RESERVED_PRIVATE_SYSTEM_CONTROL); W98DDK:kernel_92nk; W95DDK:S32CF",
    helpUri: w95("S32CF"),
    bad: "MY_MSG\tequ\t1000h\n\tmov\teax, MY_MSG\n\tVMMcall System_Control",
    good: "MY_MSG\tequ\tBEGIN_RESERVED_PRIVATE_SYSTEM_CONTROL + 1\n\tmov\teax, MY_MSG\n\tmov\tecx, OFFSET32 OTHER_DDB\n\tVMMcall Directed_Sys_Control",
  },
  check({ program: p, report }) {
    const sends = p.serviceCalls.of("System_Control", "Directed_Sys_Control");
    for (let k = 0; k < sends.length; k++) {
      const c = sends[k]!;
      const eax = c.regs[EAX];
      if (!isConstVal(eax) || classifyMessage(eax.n).kind !== "invalid") continue;
      report({
        span: p.span(c.index),
        message: `message ${hex(eax.n)} is neither a VMM message (0-${hex(MAX_SYSTEM_CONTROL)}) nor a private one (70000000h-7FFFFFFFh)`,
        help: "number private messages from BEGIN_RESERVED_PRIVATE_SYSTEM_CONTROL (70000000h) up",
        notes: [`EAX = ${hex(eax.n)} here, ${describeCtx(p, c.ctx)}`],
      });
    }
  },
};
