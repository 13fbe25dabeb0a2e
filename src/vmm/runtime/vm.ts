// Virtual machines: a control block (cb_s) and a Client_Reg_Struc each, in simulated memory.
import type { Memory } from "../../machine/memory.js";
import { CLIENT_REG_STRUC, fieldOf, VM_CONTROL_BLOCK, VMCB_ID, VM_STATUS_BITS } from "../tables/structures.js";
import type { VmmHeap } from "./heap.js";

export interface VirtualMachine {
  /** The VM handle: the address of its control block. */
  readonly handle: number;
  readonly id: number;
  readonly clientRegs: number;
  state: "creating" | "running" | "not-executeable" | "destroyed";
  /** Execution priority: the sum of the boosts it holds (Adjust_Exec_Priority, priority events …). */
  priority: number;
  /** Simulated time (ms) at which it was created, for Get_VM_Exec_Time. */
  readonly createdAt: number;
  suspended: boolean;
}

export function off(name: string): number {
  const f = fieldOf(VM_CONTROL_BLOCK, name) ?? fieldOf(CLIENT_REG_STRUC, name);
  if (!f) throw new Error(`no field ${name}`);
  return f.offset;
}

export function statusBit(name: string): number {
  const b = VM_STATUS_BITS.find((x) => x.name.toUpperCase() === name.toUpperCase());
  if (!b) throw new Error(`no VM status bit ${name}`);
  return 1 << b.bit;
}

/** Size reserved per VM: the control block, padded, then the client register structure. */
const CB_SPACE = 0x40;

export function createVm(memory: Memory, heap: VmmHeap, id: number, now: number): VirtualMachine {
  const handle = heap.allocate(CB_SPACE + CLIENT_REG_STRUC.size, 16);
  const clientRegs = handle + CB_SPACE;
  memory.write32(handle + off("CB_VM_Status"), statusBit("VMStat_Creating"));
  memory.write32(handle + off("CB_High_Linear"), (0x80000000 + id * 0x00400000) | 0);
  memory.write32(handle + off("CB_Client_Pointer"), clientRegs);
  memory.write32(handle + off("CB_VMID"), id);
  memory.write32(handle + off("CB_Signature"), VMCB_ID | 0);
  // A VM starts with interrupts enabled in its client flags (IF, bit 9; bit 1 always set).
  memory.write32(clientRegs + off("Client_EFlags"), 0x202);
  return { handle, id, clientRegs, state: "creating", priority: 0, createdAt: now, suspended: false };
}

export function setVmStatus(memory: Memory, vm: VirtualMachine, bit: string, on: boolean): void {
  const at = vm.handle + off("CB_VM_Status");
  const v = memory.read32(at);
  memory.write32(at, on ? v | statusBit(bit) : v & ~statusBit(bit));
}

export function vmSignatureOk(memory: Memory, handle: number): boolean {
  try {
    return (memory.read32(handle + off("CB_Signature")) >>> 0) === VMCB_ID >>> 0;
  } catch {
    return false;
  }
}

/** The VM's own interrupt flag, as its client registers hold it. */
export function clientInterruptsEnabled(memory: Memory, vm: VirtualMachine): boolean {
  return (memory.read32(vm.clientRegs + off("Client_EFlags")) & 0x200) !== 0;
}
