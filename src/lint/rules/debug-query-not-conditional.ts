// Debug_Query support assembled into every build (vmm-facts §7 rule 29).
import type { SourceSpan } from "../../ir/types.js";
import { Op } from "../../ir/types.js";
import { messageByName } from "../../vmm/tables/messages.js";
import type { LintProgram } from "../program.js";
import type { Rule } from "../types.js";
import { EAX } from "./support.js";
import { vdag } from "./uri.js";

const DEBUG_QUERY = messageByName("Debug_Query")!.value;

export const debugQueryNotConditional: Rule = {
  meta: {
    id: "debug-query-not-conditional",
    code: "L0127",
    severity: "warning",
    summary: "Debug_Query is handled outside a conditional-assembly block, so retail builds carry it",
    explanation:
      "Debug_Query is sent only by the debugger (the `.` command of WDEB386); its handler prints the device's " +
      "state and exists for debug builds. The DDK asks for it to be assembled conditionally (IFDEF DEBUG … ENDIF) " +
      "so that the retail device carries neither the handler nor its strings. Lint reports a `Control_Dispatch " +
      "Debug_Query` line, and a `cmp eax, Debug_Query` in a control procedure, that are not inside an IF-family " +
      "block. Which symbol the block tests is not checked: any IF, IFDEF, IFE … counts as conditional.",
    source: "VDAG31 Debug_Query; W30VDAG §17.4.2",
    helpUri: vdag("Debug_Query"),
    bad: "Begin_Control_Dispatch MyDev\n\tControl_Dispatch Device_Init, MyDev_Init\n\tControl_Dispatch Debug_Query, MyDev_Dump\nEnd_Control_Dispatch MyDev",
    good: "Begin_Control_Dispatch MyDev\n\tControl_Dispatch Device_Init, MyDev_Init\nIFDEF DEBUG\n\tControl_Dispatch Debug_Query, MyDev_Dump\nENDIF\nEnd_Control_Dispatch MyDev",
  },
  check({ program: p, report }) {
    const spans = new Map<string, SourceSpan>();
    const add = (span: SourceSpan): void => void spans.set(`${span.file}:${span.line}:${span.column}`, span);
    for (const block of p.dispatches) for (const e of block.entries) if (e.message === DEBUG_QUERY && !e.conditional) add(e.span);
    for (const i of unconditionalCompares(p)) add(p.span(i));
    for (const span of spans.values()) {
      report({
        span,
        message: "Debug_Query is handled here in every build, retail ones included",
        help: "wrap the Debug_Query dispatch and its handler in IFDEF DEBUG … ENDIF",
      });
    }
  },
};

/** `cmp eax, Debug_Query` in a control procedure, outside every conditional block (not End_Control_Dispatch's own code). */
function unconditionalCompares(p: LintProgram): number[] {
  const out: number[] = [];
  for (const d of p.devices) {
    const proc = d.control >= 0 ? p.procAt(d.control) : undefined;
    if (!proc) continue;
    for (let i = proc.start; i < proc.end; i++) {
      const ins = p.instrs[i]!;
      const item = p.items[i]!;
      if (ins.op !== Op.CMP || ins.a?.kind !== "reg" || ins.a.reg !== EAX || ins.b?.kind !== "imm" || ins.b.value >>> 0 !== DEBUG_QUERY) continue;
      if (item.conditional || item.origin.some((o) => o.includes("`End_Control_Dispatch`"))) continue;
      out.push(i);
    }
  }
  return out;
}
