// An ASYNC_SERVICE procedure outside locked code (vmm-facts §6.4, §7 rule 13).
import type { Rule } from "../types.js";
import { w95 } from "./uri.js";

export const asyncServiceNotLocked: Rule = {
  meta: {
    id: "async-service-not-locked",
    code: "L0112",
    severity: "error",
    summary: "an ASYNC_SERVICE procedure outside locked code",
    explanation:
      "An asynchronous service may be called at hardware-interrupt time, when a page fault cannot be serviced; " +
      "it and the data it touches must be locked. The DDK's BeginProc refuses ASYNC_SERVICE outside " +
      "VxD_LOCKED_CODE_SEG. Lint reports a BeginProc … ASYNC_SERVICE whose segment is pageable, init or any other.",
    source: "VMMH95 (BeginProc ASYNC_SERVICE); VDAG31 BeginProc; W95DDK:S2300; W30VDAG §17.1.2",
    helpUri: w95("S2300"),
    bad: "BeginProc MyDev_Get_Count, ASYNC_SERVICE, PAGEABLE",
    good: "VxD_LOCKED_CODE_SEG\nBeginProc MyDev_Get_Count, ASYNC_SERVICE",
  },
  check({ program: p, report }) {
    const procs = p.procs;
    for (let k = 0; k < procs.length; k++) {
      const proc = procs[k]!;
      if (!proc.options.includes("ASYNC_SERVICE") || proc.segment === "" || proc.segment === "LOCKED") continue;
      report({
        span: proc.span,
        message: `ASYNC_SERVICE \`${proc.name}\` is in ${proc.segment} code, not locked code`,
        help: "asynchronous services run at interrupt time: put the procedure in VxD_LOCKED_CODE_SEG",
      });
    }
  },
};
