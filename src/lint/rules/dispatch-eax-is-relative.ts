// A jump-table handler compares EAX with a message number (vmm-facts §6.3).
import { messageByName } from "../../vmm/tables/messages.js";
import { Op } from "../../ir/types.js";
import { namesIn } from "../analysis.js";
import { messageName } from "../facts.js";
import type { Rule } from "../types.js";
import { EAX, isConstVal } from "./support.js";
import { w95 } from "./uri.js";

export const dispatchEaxIsRelative: Rule = {
  meta: {
    id: "dispatch-eax-is-relative",
    code: "L0114",
    severity: "error",
    summary: "a handler reached through a dispatch jump table compares EAX with a message number",
    explanation:
      "When Begin_Control_Dispatch/End_Control_Dispatch dispatch more than one message they build a jump table: " +
      "`sub eax, lowest / cmp eax, count / jae ignore / jmp [eax*4+table]`. A handler reached that way gets EAX = " +
      "message - lowest message dispatched, not the message, so `cmp eax, Create_VM` in it is wrong unless the " +
      "lowest message is Sys_Critical_Init (0). Lint reports such a comparison while EAX still holds the value the " +
      "table left there.",
    source: "VMMH95 (End_Control_Dispatch); vmm-facts §6.3",
    helpUri: w95("S22FB"),
    bad: "Begin_Control_Dispatch MyDev\n\tControl_Dispatch Create_VM, MyDev_VM\n\tControl_Dispatch Destroy_VM, MyDev_VM\nEnd_Control_Dispatch MyDev\n\nBeginProc MyDev_VM\n\tcmp\teax, Destroy_VM\t; EAX = message - Create_VM here\n\t...",
    good: "Begin_Control_Dispatch MyDev\n\tControl_Dispatch Create_VM, MyDev_Create_VM\n\tControl_Dispatch Destroy_VM, MyDev_Destroy_VM\nEnd_Control_Dispatch MyDev",
  },
  check({ program: p, report }) {
    const done = new Set<number>();
    for (const block of p.dispatches) {
      if (!block.jumpTable || block.low === 0) continue;
      const control = p.codeIndex(block.unit, block.proc);
      if (control < 0) continue;
      const notable = p.facts.notable;
      for (let k = 0; k < notable.length; k++) {
        const f = notable[k]!;
        if (done.has(f.index) || f.ctx.kind !== "message" || f.ctx.root !== control || f.ctx.message === null) continue;
        const ins = p.instrs[f.index]!;
        if (ins.op !== Op.CMP || ins.a?.kind !== "reg" || ins.a.reg !== EAX || ins.a.size !== 4) continue;
        const eax = f.regs[EAX];
        if (!isConstVal(eax) || eax.n !== ((f.ctx.message - block.low) >>> 0)) continue;
        // The operand is a message itself (`Destroy_VM`), not a difference (`Destroy_VM - Create_VM`).
        if (ins.b?.kind !== "imm") continue;
        const value = ins.b.value >>> 0;
        const named = namesIn(p.items[f.index]!.operands[1] ?? null).find((n) => messageByName(n)?.value === value);
        if (!named) continue;
        done.add(f.index);
        report({
          span: p.items[f.index]!.operands[1]!.span,
          message: `EAX holds the message minus ${messageName(block.low)} here (the dispatch jump table subtracted it), so comparing it with \`${named}\` is wrong`,
          help: `compare with \`${named} - ${messageName(block.low)}\`, or give each message a handler of its own`,
          related: [{ span: block.span, message: "the jump table is built by this dispatch block" }],
        });
      }
    }
  },
};
