// What the VMM and the shell do around the program: boot the devices, create, close and destroy
// VMs, focus and suspend them, let the clock run, shut down. Message order and registers follow
// vmm-facts §1.3; events run after each step, as they do when the VMM returns to a VM.
import { messageByName } from "../tables/messages.js";
import { VNE_FLAGS } from "../tables/events.js";
import { hexOf } from "./hex.js";
import { broadcast, messageName, type MessageRegisters } from "./system-control.js";
import { off, setVmStatus, type VirtualMachine } from "./vm.js";
import type { Vmm } from "./vmm.js";

function msg(name: string): number {
  const m = messageByName(name);
  if (!m) throw new Error(`no message ${name}`);
  return m.value;
}

function vne(name: string): number {
  const f = VNE_FLAGS.find((x) => x.name.toUpperCase() === name.toUpperCase());
  if (!f) throw new Error(`no flag ${name}`);
  return f.value;
}

/** A message and, right after it, its "…2" companion (which the table sends in reverse order). */
export function send(vmm: Vmm, name: string, regs: MessageRegisters, onFailure: "stop" | "unload" = "stop"): boolean {
  const result = broadcast(vmm, msg(name), regs, { onFailure });
  const companion = messageByName(`${name}2`);
  if (companion && companion.companionOf?.toUpperCase() === name.toUpperCase()) broadcast(vmm, companion.value, regs);
  vmm.processEvents();
  return result.cf;
}

/** The command tail given with the init messages: a length byte, then the text (empty here). */
function commandTail(vmm: Vmm): number {
  const at = vmm.heap.allocate(4, 4);
  vmm.cpu.memory.write8(at, 0);
  return at;
}

export function boot(vmm: Vmm): void {
  const sys = vmm.sysVm.handle;
  const tail = commandTail(vmm);
  send(vmm, "Sys_Critical_Init", { ebx: sys, esi: tail }, "unload");
  send(vmm, "Device_Init", { ebx: sys, esi: tail }, "unload");
  send(vmm, "Init_Complete", { ebx: sys, esi: tail }, "unload");
  send(vmm, "Sys_VM_Init", { ebx: sys });
}

/** The shell creates a VM; returns it, or null if a device refused. */
export function createVm(vmm: Vmm): VirtualMachine | null {
  const vm = vmm.newVm();
  vmm.log("vm", `SHELL creates VM ${vm.id} (handle ${hexOf(vm.handle)})`, vm, "SHELL");
  if (send(vmm, "Create_VM", { ebx: vm.handle })) {
    vm.state = "destroyed";
    vmm.log("vm", `VM ${vm.id} not created: a device failed Create_VM`, vm);
    return null;
  }
  for (const [step, flag] of [["VM_Critical_Init", "VNE_CrInitFail"], ["VM_Init", "VNE_InitFail"]] as const) {
    if (send(vmm, step, { ebx: vm.handle })) {
      vmm.log("vm", `VM ${vm.id} failed ${step}`, vm);
      destroy(vmm, vm, vne(flag));
      return null;
    }
  }
  vm.state = "running";
  setVmStatus(vmm.cpu.memory, vm, "VMStat_Creating", false);
  return vm;
}

/** VM_Not_Executeable with `flags`, then Destroy_VM: the end of every VM. */
function destroy(vmm: Vmm, vm: VirtualMachine, flags: number): void {
  if (vmm.currentVm === vm) vmm.switchTo(vmm.sysVm);
  vm.state = "not-executeable";
  setVmStatus(vmm.cpu.memory, vm, "VMStat_Not_Executeable", true);
  send(vmm, "VM_Not_Executeable", { ebx: vm.handle, edx: flags });
  send(vmm, "Destroy_VM", { ebx: vm.handle });
  vm.state = "destroyed";
  vmm.log("vm", `VM ${vm.id} destroyed`, vm, "SHELL");
}

/** A VM that exits normally: VM_Terminate, VM_Not_Executeable, Destroy_VM. */
export function exitVm(vmm: Vmm, vm: VirtualMachine): void {
  vmm.log("vm", `VM ${vm.id} exits`, vm, "SHELL");
  if (vmm.currentVm === vm) vmm.switchTo(vmm.sysVm);
  send(vmm, "VM_Terminate", { ebx: vm.handle });
  destroy(vmm, vm, 0);
}

/** The user closes a VM that did not exit: the shell asks with Query_Destroy first. */
export function closeVm(vmm: Vmm, vm: VirtualMachine, force: boolean): void {
  vmm.log("vm", `SHELL: closing VM ${vm.id}${force ? " (forced)" : ""}`, vm, "SHELL");
  const objected = send(vmm, "Query_Destroy", { ebx: vm.handle });
  if (objected && !force) {
    vmm.log("vm", `VM ${vm.id} stays: a device objected to Query_Destroy`, vm, "SHELL");
    return;
  }
  destroy(vmm, vm, vne("VNE_Closed") | vne("VNE_Nuked"));
}

export function crashVm(vmm: Vmm, vm: VirtualMachine): void {
  vmm.log("vm", `VM ${vm.id} crashes`, vm);
  destroy(vmm, vm, vne("VNE_Crashed"));
}

export function setFocus(vmm: Vmm, vm: VirtualMachine, deviceId: number): void {
  vmm.log("vm", `SHELL: focus to VM ${vm.id}${deviceId ? ` for device ${deviceId.toString(16).toUpperCase()}h` : ""}`, vm, "SHELL");
  send(vmm, "Set_Device_Focus", { ebx: vm.handle, edx: deviceId, esi: 0, edi: 0 });
}

export function suspendVm(vmm: Vmm, vm: VirtualMachine): void {
  send(vmm, "VM_Suspend", { ebx: vm.handle });
  vm.suspended = true;
  setVmStatus(vmm.cpu.memory, vm, "VMStat_Suspended", true);
  if (vmm.currentVm === vm) vmm.switchTo(vmm.sysVm);
  vmm.log("vm", `VM ${vm.id} suspended`, vm);
}

export function resumeVm(vmm: Vmm, vm: VirtualMachine): void {
  if (send(vmm, "VM_Resume", { ebx: vm.handle })) {
    vmm.log("vm", `VM ${vm.id} stays suspended: a device failed VM_Resume`, vm);
    return;
  }
  vm.suspended = false;
  setVmStatus(vmm.cpu.memory, vm, "VMStat_Suspended", false);
  vmm.log("vm", `VM ${vm.id} resumed`, vm);
}

/** The VM's own code disables or enables interrupts (its client IF). */
export function setClientInterrupts(vmm: Vmm, vm: VirtualMachine, enabled: boolean): void {
  const at = vm.clientRegs + off("Client_EFlags");
  const flags = vmm.cpu.memory.read32(at);
  vmm.cpu.memory.write32(at, enabled ? flags | 0x200 : flags & ~0x200);
  vmm.log("vm", `VM ${vm.id} ${enabled ? "enables" : "disables"} interrupts`, vm);
}

export function sendMessage(vmm: Vmm, message: number, regs: MessageRegisters): void {
  vmm.log("scenario", `send ${messageName(message)}`);
  broadcast(vmm, message, regs);
  vmm.processEvents();
}

/** Lets the clock run to `until` (ms), firing whatever is due; events run after each. */
export function runClock(vmm: Vmm, until: number): void {
  for (let t = vmm.clock.takeNext(until); t; t = vmm.clock.takeNext(until)) {
    vmm.clock.now = Math.max(vmm.clock.now, t.due);
    t.fire();
    vmm.processEvents();
    vmm.reschedule();
  }
  vmm.clock.now = Math.max(vmm.clock.now, until);
}

export function shutdown(vmm: Vmm): void {
  for (const vm of [...vmm.vms].reverse()) if (vm !== vmm.sysVm && vm.state === "running") exitVm(vmm, vm);
  if (vmm.currentVm !== vmm.sysVm) vmm.switchTo(vmm.sysVm);
  const sys = vmm.sysVm.handle;
  send(vmm, "Sys_VM_Terminate", { ebx: sys });
  send(vmm, "System_Exit", { ebx: sys });
  send(vmm, "Sys_Critical_Exit", { ebx: sys });
}
