// Simulate_Int / Exec_Int while handling a message that forbids them (vmm-facts §7 rule 6).
import { INTERRUPT_SIMULATION_SERVICES } from "../../vmm/tables/services.js";
import type { Rule } from "../types.js";
import { messageOf } from "./support.js";
import { w95 } from "./uri.js";

const SERVICES = new Set(INTERRUPT_SIMULATION_SERVICES);

export const simulateIntForbidden: Rule = {
  meta: {
    id: "simulate-int-forbidden",
    code: "L0116",
    severity: "error",
    summary: "Simulate_Int or Exec_Int while handling a message that forbids them",
    explanation:
      "During Sys_Critical_Init, VM_Critical_Init, VM_Not_Executeable, Destroy_VM, System_Exit, Sys_Critical_Exit, " +
      "Crit_Reboot_Notify and the thread messages there is no VM in a state to run an interrupt: the DDK forbids " +
      "Simulate_Int and Exec_Int there (they are allowed during Device_Init, Init_Complete, VM_Init, VM_Terminate, " +
      "Sys_VM_Terminate). Lint runs the control procedure with EAX holding each message and reports such a call " +
      "reached on the way.",
    source: "VMMH95; W95DDK:S3442; W95DDK:S344B; W95DDK:S3431; W95DDK:S3446; W95DDK:S3440",
    helpUri: w95("S3425"),
    bad: "BeginProc MyDev_Destroy_VM\n\tmov\teax, 2Fh\n\tVMMcall Simulate_Int\t; the VM is being destroyed\n\tclc\n\tret\nEndProc MyDev_Destroy_VM",
    good: "BeginProc MyDev_VM_Terminate\n\tmov\teax, 2Fh\n\tVMMcall Simulate_Int\t; allowed during VM_Terminate\n\tclc\n\tret\nEndProc MyDev_VM_Terminate",
  },
  check({ program: p, report }) {
    const byIndex = new Map<number, { name: string; messages: Set<string> }>();
    const calls = p.serviceCalls.where((name) => SERVICES.has(name));
    for (let k = 0; k < calls.length; k++) {
      const c = calls[k]!;
      if (c.ctx.kind !== "message") continue;
      const m = messageOf(c.ctx);
      if (!m || m.maySimulateInt !== false) continue;
      let entry = byIndex.get(c.index);
      if (!entry) byIndex.set(c.index, (entry = { name: c.name, messages: new Set() }));
      entry.messages.add(m.name);
    }
    for (const [index, e] of byIndex) {
      report({
        span: p.span(index),
        message: `${e.name} while handling ${[...e.messages].join(", ")}, which may not simulate interrupts`,
        help: "run VM code from a message that allows it (Device_Init, Init_Complete, VM_Init, VM_Terminate, Sys_VM_Terminate)",
      });
    }
  },
};
