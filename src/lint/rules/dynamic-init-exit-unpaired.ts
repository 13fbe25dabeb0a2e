// A dynamic device handles Sys_Dynamic_Device_Init but not Sys_Dynamic_Device_Exit, or the other way round
// (vmm-facts §7 rule 11).
import type { SourceSpan } from "../../ir/types.js";
import { Op } from "../../ir/types.js";
import { messageByName } from "../../vmm/tables/messages.js";
import type { LintDevice, LintProgram } from "../program.js";
import type { Rule } from "../types.js";
import { EAX } from "./support.js";

const INIT = messageByName("Sys_Dynamic_Device_Init")!;
const EXIT = messageByName("Sys_Dynamic_Device_Exit")!;

export const dynamicInitExitUnpaired: Rule = {
  meta: {
    id: "dynamic-init-exit-unpaired",
    code: "L0129",
    severity: "warning",
    summary: "a device handles Sys_Dynamic_Device_Init without Sys_Dynamic_Device_Exit, or Exit without Init",
    explanation:
      "A dynamically loaded device gets Sys_Dynamic_Device_Init instead of the start-up messages, and " +
      "Sys_Dynamic_Device_Exit before it is unloaded. A device that handles Init but not Exit is unloaded with " +
      "whatever Init installed - hooks, callbacks, events - still pointing into code that is gone; one that " +
      "handles Exit but not Init undoes, when it is unloaded, what nothing did when it was loaded dynamically. " +
      "Lint looks at the messages each device dispatches (Control_Dispatch, or `cmp eax, <message>` in a " +
      "hand-written control procedure) and reports the one of the pair that is there without the other. It does " +
      "not check what the handlers do.",
    source: "KB141231; W98DDK:kernel_4c6o",
    helpUri: "https://ftp.zx.net.nz/pub/archive/ftp.microsoft.com/MISC/KB/en-us/141/231.HTM",
    bad: "Begin_Control_Dispatch MyDev\n\tControl_Dispatch Sys_Dynamic_Device_Init, MyDev_Dyn_Init\nEnd_Control_Dispatch MyDev",
    good: "Begin_Control_Dispatch MyDev\n\tControl_Dispatch Sys_Dynamic_Device_Init, MyDev_Dyn_Init\n\tControl_Dispatch Sys_Dynamic_Device_Exit, MyDev_Dyn_Exit\nEnd_Control_Dispatch MyDev",
  },
  check({ program: p, report }) {
    for (const d of p.devices) {
      const handled = handledMessages(p, d);
      for (const [has, lacks] of [[INIT, EXIT], [EXIT, INIT]] as const) {
        const span = handled.get(has.value);
        if (!span || handled.has(lacks.value)) continue;
        report({
          span,
          message: `${d.name} handles ${has.name} but not ${lacks.name}`,
          help: has === INIT ? `handle ${EXIT.name} too, and undo there what ${INIT.name} set up` : `handle ${INIT.name} too, or drop ${EXIT.name} if the device is never loaded dynamically`,
        });
      }
    }
  },
};

/** The messages a device dispatches, with where each is dispatched. */
function handledMessages(p: LintProgram, d: LintDevice): Map<number, SourceSpan> {
  const out = new Map<number, SourceSpan>();
  for (const block of p.dispatches) if (block.unit.file === d.file) for (const e of block.entries) if (!out.has(e.message)) out.set(e.message, e.span);
  const proc = d.control >= 0 ? p.procAt(d.control) : undefined;
  if (proc) {
    for (let i = proc.start; i < proc.end; i++) {
      const ins = p.instrs[i]!;
      if (ins.op !== Op.CMP || ins.a?.kind !== "reg" || ins.a.reg !== EAX || ins.b?.kind !== "imm") continue;
      if (!out.has(ins.b.value >>> 0)) out.set(ins.b.value >>> 0, p.span(i));
    }
  }
  return out;
}
