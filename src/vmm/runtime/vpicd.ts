// VPICD, the virtual programmable interrupt controller: devices virtualise IRQs with a
// VPICD_IRQ_Descriptor, and when the scenario raises an IRQ the hardware-interrupt procedure of
// each device sharing it runs at interrupt time (Get_VMM_Reenter_Count > 0), entered with IF = 0,
// EAX = the IRQ handle, EBX = the current VM; CF clear on return means handled (vmm-facts §7 rule 14).
import { Reg } from "../../ir/types.js";
import { ALL_STRUCS, type StrucDef } from "../tables/structures.js";
import { CONSTANTS } from "../tables/constants.js";
import { nearestLabel } from "./debug-output.js";
import type { RuntimeDevice } from "./devices.js";
import { hexOf } from "./hex.js";
import { service } from "./service-registry.js";
import { VmmStop } from "./stop.js";
import type { Vmm } from "./vmm.js";

interface VirtualIrq {
  readonly handle: number;
  readonly irq: number;
  readonly options: number;
  readonly hwIntProc: number;
  readonly refData: number;
  readonly owner: RuntimeDevice | null;
  /** VMs with a virtual interrupt request set (VPICD_Set_Int_Request). */
  readonly requests: Set<number>;
}

function registry(vmm: Vmm): VirtualIrq[] {
  return vmm.stateOf("vpicd-irqs", (): VirtualIrq[] => []);
}

function vidStruc(): StrucDef {
  const s = ALL_STRUCS.find((x) => x.name.toUpperCase() === "VPICD_IRQ_DESCRIPTOR");
  if (!s) throw new VmmStop("service-not-simulated", "the VPICD_IRQ_Descriptor structure is not in the tables");
  return s;
}

function field(name: string): { offset: number; size: number } {
  const f = vidStruc().fields.find((x) => x.name.toUpperCase() === name.toUpperCase());
  if (!f) throw new VmmStop("service-not-simulated", `VPICD_IRQ_Descriptor has no field ${name} in the tables`);
  return f;
}

function option(name: string): number {
  return CONSTANTS.find((c) => c.name.toUpperCase() === name.toUpperCase())?.value ?? 0;
}

function readField(vmm: Vmm, base: number, name: string): number {
  const f = field(name);
  const m = vmm.cpu.memory;
  return f.size === 2 ? m.read16(base + f.offset) : f.size === 1 ? m.read8(base + f.offset) : m.read32(base + f.offset) >>> 0;
}

function byHandle(vmm: Vmm, handle: number): VirtualIrq {
  const v = registry(vmm).find((x) => x.handle === handle >>> 0);
  if (!v) throw new VmmStop("bad-event-handle", `${hexOf(handle)} in EAX is not an IRQ handle from VPICD_Virtualize_IRQ`);
  return v;
}

service("VPICD_Virtualize_IRQ", (vmm, cpu) => {
  const vid = cpu.regs[Reg.EDI]! >>> 0;
  const irq = readField(vmm, vid, "VID_IRQ_Number");
  const options = readField(vmm, vid, "VID_Options");
  const hwIntProc = readField(vmm, vid, "VID_Hw_Int_Proc");
  const canShare = option("VPICD_OPT_CAN_SHARE");
  const refData = options & option("VPICD_OPT_REF_DATA") ? readField(vmm, vid, "VID_Hw_Int_Ref") : 0;
  const sharers = registry(vmm).filter((x) => x.irq === irq);
  if (irq > 15 || (sharers.length > 0 && (!(options & canShare) || sharers.some((s) => !(s.options & canShare))))) {
    vmm.log("irq", `VPICD_Virtualize_IRQ: IRQ ${irq} refused${irq > 15 ? " (no such IRQ)" : " (already virtualised and not shareable)"}`);
    cpu.setFlag("cf", true);
    return;
  }
  if (hwIntProc !== 0 && cpu.indexOfCodeAddress(hwIntProc) < 0) {
    throw new VmmStop("bad-jump", `VID_Hw_Int_Proc of IRQ ${irq} is ${hexOf(hwIntProc)}, which is not the address of an instruction`, "fill the descriptor with OFFSET32 of the hardware-interrupt procedure");
  }
  const handle = vmm.heap.allocate(16, 16);
  registry(vmm).push({ handle, irq, options, hwIntProc, refData, owner: vmm.actor, requests: new Set() });
  cpu.regs[Reg.EAX] = handle;
  cpu.setFlag("cf", false);
  vmm.log("irq", `VPICD_Virtualize_IRQ: IRQ ${irq} → ${nearestLabel(vmm.program, hwIntProc)}, handle ${hexOf(handle)}`, null, vmm.actor?.name ?? null);
});

service("VPICD_Phys_EOI", (vmm, cpu) => {
  const v = byHandle(vmm, cpu.regs[Reg.EAX]!);
  vmm.log("irq", `VPICD_Phys_EOI: IRQ ${v.irq}`);
});

service("VPICD_Set_Int_Request", (vmm, cpu) => {
  const v = byHandle(vmm, cpu.regs[Reg.EAX]!);
  const vm = vmm.vmByHandle(cpu.regs[Reg.EBX]!);
  if (!vm) throw new VmmStop("bad-vm-handle", `VPICD_Set_Int_Request: ${hexOf(cpu.regs[Reg.EBX]!)} in EBX is not a VM`);
  v.requests.add(vm.id);
  vmm.log("irq", `VPICD_Set_Int_Request: IRQ ${v.irq} requested into VM ${vm.id}`, vm);
});

service("VPICD_Clear_Int_Request", (vmm, cpu) => {
  const v = byHandle(vmm, cpu.regs[Reg.EAX]!);
  const vm = vmm.vmByHandle(cpu.regs[Reg.EBX]!);
  if (vm) v.requests.delete(vm.id);
  vmm.log("irq", `VPICD_Clear_Int_Request: IRQ ${v.irq} request cleared${vm ? ` for VM ${vm.id}` : ""}`, vm ?? null);
});

/** The hardware raises `irq`: each sharer's procedure runs at interrupt time until one handles it. */
export function raiseIrq(vmm: Vmm, irq: number): void {
  const sharers = registry(vmm).filter((x) => x.irq === irq);
  if (sharers.length === 0) {
    vmm.log("irq", `IRQ ${irq}: no device virtualised it; VPICD reflects it to the VM`);
    return;
  }
  const cpu = vmm.cpu;
  vmm.atInterruptTime(() => {
    for (const v of sharers) {
      if (!v.hwIntProc) continue;
      const saved = vmm.saveRegisters();
      const flags = cpu.getEflags();
      cpu.regs[Reg.EAX] = v.handle;
      cpu.regs[Reg.EBX] = vmm.currentVm.handle;
      if (v.refData) cpu.regs[Reg.EDX] = v.refData;
      cpu.setFlag("if", false);
      cpu.setFlag("cf", false);
      vmm.log("irq", `IRQ ${irq} → ${nearestLabel(vmm.program, v.hwIntProc)} at interrupt time`, vmm.currentVm, v.owner?.name ?? null);
      const ebp = cpu.regs[Reg.EBP];
      const edi = cpu.regs[Reg.EDI];
      const esp = cpu.regs[Reg.ESP];
      vmm.handling.push({ device: v.owner?.name ?? "?", message: `IRQ ${irq}` });
      try {
        vmm.callGuest(v.hwIntProc, v.owner);
      } finally {
        vmm.handling.pop();
      }
      const handled = !cpu.getFlag("cf");
      const changed = [cpu.regs[Reg.EBP] !== ebp ? "EBP" : "", cpu.regs[Reg.EDI] !== edi ? "EDI" : "", cpu.regs[Reg.ESP] !== esp ? "ESP" : ""].filter(Boolean);
      if (changed.length) {
        vmm.violation("callback-contract", `hardware-interrupt procedure ${nearestLabel(vmm.program, v.hwIntProc)} changed ${changed.join(", ")}`, -1, "a VID_Hw_Int_Proc may change EAX, EBX, ECX, EDX, ESI and the flags only");
      }
      vmm.restoreRegisters(saved);
      cpu.setEflags(flags);
      vmm.log("irq", `IRQ ${irq}: ${handled ? "handled" : "passed on (CF=1)"} by ${v.owner?.name ?? "?"}`, vmm.currentVm, v.owner?.name ?? null);
      if (handled) return;
    }
  });
}
