// What the VMM does around the program: boot the devices, create and destroy VMs, shut down.
// Message order and registers follow vmm-facts §1.3; events run after each step, as they do
// when the VMM returns to a VM.
import { messageByName } from "../tables/messages.js";
import { VNE_FLAGS } from "../tables/events.js";
import { broadcast, type MessageRegisters } from "./system-control.js";
import { setVmStatus, type VirtualMachine } from "./vm.js";
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

/** A message and, right after it, its "…2" companion (sent in reverse order by the table). */
function send(vmm: Vmm, name: string, regs: MessageRegisters, onFailure: "stop" | "unload" = "stop"): boolean {
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

/** Creates a VM the way SHELL does; returns it, or null if a device refused. */
export function createVm(vmm: Vmm): VirtualMachine | null {
  const vm = vmm.newVm();
  vmm.log("vm", `create VM ${vm.id} (handle ${vm.handle.toString(16).toUpperCase()}h)`);
  if (send(vmm, "Create_VM", { ebx: vm.handle })) {
    vm.state = "destroyed";
    vmm.log("vm", `VM ${vm.id} not created: a device failed Create_VM`);
    return null;
  }
  for (const [step, flag] of [["VM_Critical_Init", "VNE_CrInitFail"], ["VM_Init", "VNE_InitFail"]] as const) {
    if (send(vmm, step, { ebx: vm.handle })) {
      vmm.log("vm", `VM ${vm.id} failed ${step}`);
      vm.state = "not-executeable";
      send(vmm, "VM_Not_Executeable", { ebx: vm.handle, edx: vne(flag) });
      send(vmm, "Destroy_VM", { ebx: vm.handle });
      vm.state = "destroyed";
      return null;
    }
  }
  vm.state = "running";
  setVmStatus(vmm.cpu.memory, vm, "VMStat_Creating", false);
  return vm;
}

/** A VM that exits normally: VM_Terminate, VM_Not_Executeable, Destroy_VM. */
export function destroyVm(vmm: Vmm, vm: VirtualMachine): void {
  vmm.log("vm", `destroy VM ${vm.id}`);
  if (vmm.currentVm === vm) vmm.switchTo(vmm.sysVm);
  send(vmm, "VM_Terminate", { ebx: vm.handle });
  vm.state = "not-executeable";
  setVmStatus(vmm.cpu.memory, vm, "VMStat_Not_Executeable", true);
  send(vmm, "VM_Not_Executeable", { ebx: vm.handle, edx: 0 });
  send(vmm, "Destroy_VM", { ebx: vm.handle });
  vm.state = "destroyed";
}

export function shutdown(vmm: Vmm): void {
  for (const vm of [...vmm.vms].reverse()) if (vm !== vmm.sysVm && vm.state === "running") destroyVm(vmm, vm);
  if (vmm.currentVm !== vmm.sysVm) vmm.switchTo(vmm.sysVm);
  const sys = vmm.sysVm.handle;
  send(vmm, "Sys_VM_Terminate", { ebx: sys });
  send(vmm, "System_Exit", { ebx: sys });
  send(vmm, "Sys_Critical_Exit", { ebx: sys });
}
