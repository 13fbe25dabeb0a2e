// A handler that must not be pageable is in pageable code (vmm-facts §7 rule 8).
import { handlerMustNotBePageable } from "../facts.js";
import type { Rule } from "../types.js";
import { messageOf } from "./support.js";
import { w95 } from "./uri.js";

export const pageableHandler: Rule = {
  meta: {
    id: "pageable-handler",
    code: "L0126",
    severity: "error",
    summary: "a Sys_Critical_Exit or Debug_Query handler in pageable code",
    explanation:
      "Sys_Critical_Exit is sent when paging may no longer work, and Debug_Query from the debugger, when a page " +
      "fault cannot be serviced: the DDK says their handlers must not be pageable. Lint runs the control " +
      "procedure for these messages and reports every procedure it reaches that lives in pageable code.",
    source: "W95DDK:S3440; W95DDK:S342F",
    helpUri: w95("S3440"),
    bad: "VxD_PAGEABLE_CODE_SEG\nBeginProc MyDev_Crit_Exit\n\tclc\n\tret\nEndProc MyDev_Crit_Exit",
    good: "VxD_LOCKED_CODE_SEG\nBeginProc MyDev_Crit_Exit\n\tclc\n\tret\nEndProc MyDev_Crit_Exit",
  },
  check({ program: p, report }) {
    const done = new Set<number>();
    const calls = p.facts.calls;
    for (let k = 0; k < calls.length; k++) {
      const c = calls[k]!;
      if (c.ctx.kind !== "message") continue;
      const m = messageOf(c.ctx);
      const proc = p.procAt(c.target);
      if (!m || !handlerMustNotBePageable(m) || !proc || proc.segment !== "PAGEABLE" || done.has(proc.index)) continue;
      done.add(proc.index);
      report({
        span: proc.span,
        message: `\`${proc.name}\` handles ${m.name}, which must not be pageable, but it is in pageable code`,
        help: "move it to VxD_LOCKED_CODE_SEG",
        related: [{ span: p.span(c.site), message: `reached from here while handling ${m.name}` }],
      });
    }
  },
};
