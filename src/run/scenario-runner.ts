// Puts a scenario's actions on the VMM's clock.
import type { Vmm } from "../vmm/runtime/vmm.js";
import { closeVm, crashVm, createVm, exitVm, resumeVm, sendMessage, setClientInterrupts, setFocus, suspendVm } from "../vmm/runtime/lifecycle.js";
import { raiseIrq } from "../vmm/runtime/vpicd.js";
import { VmmStop } from "../vmm/runtime/stop.js";
import type { Scenario, ScenarioAction, TimedAction } from "./scenario.js";

export function scheduleScenario(vmm: Vmm, scenario: Scenario): void {
  for (const a of scenario.actions) vmm.clock.at(a.at, a.text, () => perform(vmm, a));
}

function perform(vmm: Vmm, timed: TimedAction): void {
  vmm.log("scenario", timed.text);
  const action: ScenarioAction = timed.action;
  const vmOf = (id: number) => {
    const vm = vmm.vmById(id);
    if (!vm) throw new VmmStop("usage", `scenario line ${timed.span.line} (\`${timed.text}\`): there is no VM ${id} at ${timed.at} ms`, "VM 1 is the System VM; the shell numbers the VMs it creates 2, 3, …", [], timed.span);
    return vm;
  };
  switch (action.kind) {
    case "create-vm":
      createVm(vmm);
      return;
    case "exit-vm":
      return exitVm(vmm, vmOf(action.vm));
    case "close-vm":
      return closeVm(vmm, vmOf(action.vm), action.force);
    case "crash-vm":
      return crashVm(vmm, vmOf(action.vm));
    case "focus":
      return setFocus(vmm, vmOf(action.vm), action.deviceId);
    case "suspend-vm":
      return suspendVm(vmm, vmOf(action.vm));
    case "resume-vm":
      return resumeVm(vmm, vmOf(action.vm));
    case "set-if":
      return setClientInterrupts(vmm, vmOf(action.vm), action.enabled);
    case "irq":
      return raiseIrq(vmm, action.irq);
    case "send":
      return sendMessage(vmm, action.message, { ebx: action.vm === null ? vmm.sysVm.handle : vmOf(action.vm).handle, esi: action.esi, edi: action.edi, edx: action.edx });
  }
}
