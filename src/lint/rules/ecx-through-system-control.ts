// ECX loaded before System_Control as if it carried data (vmm-facts §1.3, §7 rule 4).
import type { Rule } from "../types.js";
import { w95 } from "./uri.js";

export const ecxThroughSystemControl: Rule = {
  meta: {
    id: "ecx-through-system-control",
    code: "L0103",
    severity: "warning",
    summary: "ECX loaded before System_Control, which uses ECX itself",
    explanation:
      "System_Control passes EBX, ESI, EDI and EDX to every device's control procedure, but uses ECX for itself: " +
      "whatever the sender puts there never reaches a receiver, and it is gone after the call. Lint reports an " +
      "instruction that loads ECX (mov, lea, pop, movzx, xor ecx,ecx) when nothing reads ECX between it and the " +
      "`VMMcall System_Control`. Directed_Sys_Control is different: there ECX is the target's DDB.",
    source: "VDAG31 System_Control; W98DDK:kernel_92nk",
    helpUri: w95("S32CF"),
    bad: "\tmov\teax, MY_MSG\n\tmov\tecx, [Count]\t; lost: System_Control uses ECX\n\tVMMcall System_Control",
    good: "\tmov\teax, MY_MSG\n\tmov\tedx, [Count]\t; EBX, ESI, EDI and EDX reach the receiver\n\tVMMcall System_Control",
  },
  check({ program: p, report }) {
    const sends = p.serviceCalls.of("System_Control");
    for (let k = 0; k < sends.length; k++) {
      const c = sends[k]!;
      if (c.ecxDef < 0) continue;
      report({
        span: p.span(c.ecxDef),
        message: "ECX is loaded here, but System_Control uses ECX itself: the value never reaches the receiver",
        help: "pass data in EBX, ESI, EDI or EDX (the message's parameters), or in memory they point to",
        related: [{ span: p.span(c.index), message: "System_Control is called here" }],
      });
    }
  },
};
