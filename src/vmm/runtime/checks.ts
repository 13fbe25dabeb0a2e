// Checks the services share: a live VM handle, a callback that is code.
import { VmmStop } from "./stop.js";
import { hexOf } from "./hex.js";
import type { Vmm } from "./vmm.js";

export function requireVm(vmm: Vmm, handle: number, service: string): void {
  if (!vmm.vmByHandle(handle)) {
    throw new VmmStop("bad-vm-handle", `${service} was given ${hexOf(handle)} in EBX, which is not the handle of a live VM`, "get a VM handle from Get_Cur_VM_Handle, Get_Sys_VM_Handle or Get_Next_VM_Handle");
  }
}

export function requireCode(vmm: Vmm, address: number, service: string, reg: string): void {
  if (vmm.cpu.indexOfCodeAddress(address >>> 0) < 0) {
    throw new VmmStop("bad-jump", `${service} was given ${hexOf(address)} in ${reg} as the callback, which is not the address of an instruction`, "load it with OFFSET32 of a procedure, e.g. mov esi, OFFSET32 MyCallback");
  }
}

