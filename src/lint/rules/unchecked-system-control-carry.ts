// A failable (or private) send whose CF is lost before anything tests it (vmm-facts §1.3).
import { allowedSender, classifyMessage, isDevice, messageName, sendCanFail } from "../facts.js";
import type { Rule } from "../types.js";
import { EAX, isConstVal } from "./support.js";
import { w95 } from "./uri.js";

export const uncheckedSystemControlCarry: Rule = {
  meta: {
    id: "unchecked-system-control-carry",
    code: "L0104",
    severity: "warning",
    summary: "the carry flag a failable System_Control send returns is never tested",
    explanation:
      "A device that fails a message answers with CF set, and System_Control (or Directed_Sys_Control) returns it " +
      "to the sender. For a message that may fail - a failable VMM message, or any private message - the sender " +
      "must look at CF before it is lost. Lint follows CF from the send along every path and reports the send " +
      "when an instruction that sets CF without reading it (clc, stc, cmp, add, a service call ...) comes first. " +
      "Returning to the caller with CF as it is counts as passing the answer on.",
    source: "VDAG31 System_Control; W95DDK:S32CF",
    helpUri: w95("S32CF"),
    bad: "\tmov\teax, MY_PRIVATE_MSG\n\tVMMcall System_Control\n\tclc\t\t\t; the answer is lost\n\tret",
    good: "\tmov\teax, MY_PRIVATE_MSG\n\tVMMcall System_Control\n\tjc\tfailed",
  },
  check({ program: p, report }) {
    const sends = new Map(p.serviceCalls.of("System_Control", "Directed_Sys_Control").map((c) => [c.index, c]));
    const done = new Set<number>();
    const carryLosses = p.facts.carryLosses;
    for (let k = 0; k < carryLosses.length; k++) {
      const loss = carryLosses[k]!;
      if (loss.id < 0 || done.has(loss.id)) continue;
      const send = sends.get(loss.id);
      if (!send) continue;
      const eax = send.regs[EAX];
      if (!isConstVal(eax) || !sendCanFail(eax.n)) continue;
      // A message the device may not send at all is reported by illegal-system-control-send.
      const c = classifyMessage(eax.n);
      if (send.name === "System_Control" && c.kind === "vmm") {
        const allowed = allowedSender(c.info);
        const device = send.ctx.device ?? p.deviceOfFile(p.span(send.index).file);
        if (allowed.kind !== "any-device" && !(allowed.device && device && isDevice(device.name, device.id, allowed.device))) continue;
      }
      const at = p.span(loss.at);
      done.add(loss.id);
      report({
        span: p.span(send.index),
        message: `the answer to ${messageName(eax.n)} (CF) is never tested: line ${at.line} sets CF first`,
        help: "test CF right after the call (jc / jnc), before any instruction that changes it",
        related: [{ span: at, message: "CF is overwritten here" }],
      });
    }
  },
};
