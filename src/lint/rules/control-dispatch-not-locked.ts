// The control procedure or Control_Dispatch outside locked code (vmm-facts §6.3, §7 rule 1).
import type { Rule } from "../types.js";
import { w95 } from "./uri.js";

export const controlDispatchNotLocked: Rule = {
  meta: {
    id: "control-dispatch-not-locked",
    code: "L0111",
    severity: "error",
    summary: "a control procedure or Control_Dispatch outside locked code",
    explanation:
      "The VMM calls a device's control procedure at times when paging is not possible (Sys_Critical_Exit, " +
      "System_Exit, …), so the procedure named in Declare_Virtual_Device, and the Control_Dispatch lines of a " +
      "hand-written one, must be in VxD_LOCKED_CODE_SEG; the DDK's Control_Dispatch macro refuses to assemble " +
      "anywhere else. Begin_Control_Dispatch puts the procedure it opens in locked code by itself. Lint reports a " +
      "control procedure or Control_Dispatch in a pageable, init or other segment.",
    source: "VMMH95 (Control_Dispatch: .errnz ?_LCODE); W30VDAG §17.1.2; W98DDK:kernel_4c6o",
    helpUri: w95("S22FB"),
    bad: "VxD_PAGEABLE_CODE_SEG\nBeginProc MyDev_Control\n\tControl_Dispatch Device_Init, MyDev_Init\n\tclc\n\tret\nEndProc MyDev_Control",
    good: "VxD_LOCKED_CODE_SEG\nBeginProc MyDev_Control\n\tControl_Dispatch Device_Init, MyDev_Init\n\tclc\n\tret\nEndProc MyDev_Control",
  },
  check({ program: p, report }) {
    for (const d of p.devices) {
      const proc = d.control >= 0 ? p.procAt(d.control) : undefined;
      if (!proc || proc.topLevel || proc.segment === "" || proc.segment === "LOCKED") continue;
      report({
        span: proc.span,
        message: `control procedure \`${proc.name}\` of ${d.name} is in ${proc.segment} code, not locked code`,
        help: "put it between VxD_LOCKED_CODE_SEG and VxD_LOCKED_CODE_ENDS (or use Begin_Control_Dispatch)",
        related: [{ span: d.span, message: "named by Declare_Virtual_Device here" }],
      });
    }
    const seen = new Set<string>();
    const expanded = p.scan.expanded;
    for (let k = 0; k < expanded.length; k++) {
      const i = expanded[k]!;
      const item = p.items[i]!;
      if (item.segment === "" || item.segment === "LOCKED" || !item.origin.some(isControlDispatchExpansion)) continue;
      const key = `${item.span.file}:${item.span.line}:${item.span.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      report({
        span: item.span,
        message: `Control_Dispatch in ${item.segment} code, not locked code`,
        help: "the control procedure must be in VxD_LOCKED_CODE_SEG",
      });
    }
  },
};

function isControlDispatchExpansion(origin: string): boolean {
  return origin.includes("`Control_Dispatch`");
}
