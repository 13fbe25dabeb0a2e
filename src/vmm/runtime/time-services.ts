// Time: Set_Global_Time_Out and Set_VM_Time_Out (callbacks at event time), Set_Async_Time_Out
// (callback at hardware-interrupt time, as the Windows 95 DDK says), Cancel_Time_Out, and the
// clocks. Callbacks get EBX = the VM, ECX = how late they are in ms, EDX = the reference data,
// EBP → the VM's Client_Reg_Struc.
import { Reg } from "../../ir/types.js";
import type { Cpu } from "../../machine/cpu.js";
import type { Timer } from "./clock.js";
import { requireCode, requireVm } from "./checks.js";
import { nearestLabel } from "./debug-output.js";
import { hexOf } from "./hex.js";
import { service } from "./service-registry.js";
import type { Vmm } from "./vmm.js";

const u = (v: number): number => v >>> 0;

type TimeOutKind = "global" | "vm" | "async";

interface TimeOut {
  readonly handle: number;
  readonly kind: TimeOutKind;
  readonly timer: Timer;
  state: "pending" | "fired" | "cancelled";
}

function registry(vmm: Vmm): Map<number, TimeOut> {
  return vmm.stateOf("time-outs", () => new Map<number, TimeOut>());
}

function setTimeOut(vmm: Vmm, cpu: Cpu, site: number, kind: TimeOutKind, serviceName: string): void {
  requireCode(vmm, cpu.regs[Reg.ESI]!, serviceName, "ESI");
  const ms = u(cpu.regs[Reg.EAX]!);
  const callback = u(cpu.regs[Reg.ESI]!);
  const refData = u(cpu.regs[Reg.EDX]!);
  const vmHandle = kind === "vm" ? u(cpu.regs[Reg.EBX]!) : 0;
  const owner = vmm.actor?.name ?? "VMM";
  const handle = vmm.heap.allocate(16, 16);
  const due = vmm.clock.now + ms;
  const record: TimeOut = {
    handle,
    kind,
    state: "pending",
    timer: vmm.clock.at(due, `${serviceName} ${hexOf(handle)}`, () => {
      record.state = "fired";
      const vm = kind === "vm" ? vmm.vmByHandle(vmHandle) : vmm.currentVm;
      if (!vm) {
        vmm.log("timeout", `time-out ${hexOf(handle)} dropped: its VM no longer exists`);
        return;
      }
      const late = vmm.clock.now - due;
      const run = (): void =>
        vmm.callCallback("time-out callback", callback, vm, refData, owner, site, (c) => {
          c.regs[Reg.ECX] = late;
        });
      vmm.log("timeout", `${serviceName} ${hexOf(handle)} fired → ${nearestLabel(vmm.program, callback)} in VM ${vm.id}${kind === "async" ? " at interrupt time" : ""}`, vm, owner);
      if (kind === "async") vmm.atInterruptTime(run);
      else {
        if (vm !== vmm.currentVm) vmm.switchTo(vm);
        run();
      }
    }),
  };
  registry(vmm).set(handle, record);
  cpu.regs[Reg.ESI] = handle;
  vmm.log("timeout", `${serviceName}: ${ms} ms → ${nearestLabel(vmm.program, callback)}, handle ${hexOf(handle)}`, kind === "vm" ? vmm.vmByHandle(vmHandle) ?? null : null, owner);
}

service("Set_Global_Time_Out", (vmm, cpu, site) => setTimeOut(vmm, cpu, site, "global", "Set_Global_Time_Out"));
service("Set_VM_Time_Out", (vmm, cpu, site) => {
  requireVm(vmm, cpu.regs[Reg.EBX]!, "Set_VM_Time_Out");
  setTimeOut(vmm, cpu, site, "vm", "Set_VM_Time_Out");
});
service("Set_Async_Time_Out", (vmm, cpu, site) => setTimeOut(vmm, cpu, site, "async", "Set_Async_Time_Out"));

service("Cancel_Time_Out", (vmm, cpu, site) => {
  const handle = u(cpu.regs[Reg.ESI]!);
  if (handle === 0) return;
  const t = registry(vmm).get(handle);
  if (!t) {
    vmm.violation("bad-event-handle", `Cancel_Time_Out with ${hexOf(handle)}: no time-out has this handle`, site, "pass the handle a Set_…_Time_Out service returned in ESI, or 0");
    return;
  }
  if (t.state === "pending") {
    t.state = "cancelled";
    t.timer.cancelled = true;
    vmm.log("timeout", `Cancel_Time_Out: cancelled ${hexOf(handle)}`);
  }
});

service("Get_System_Time", (vmm, cpu) => {
  cpu.regs[Reg.EAX] = Math.floor(vmm.clock.now);
});
service("Get_Last_Updated_System_Time", (vmm, cpu) => {
  cpu.regs[Reg.EAX] = Math.floor(vmm.clock.now);
});
// The simulation runs every VM all the time, so a VM's execution time is its age. Windows 95
// takes the VM in EBX (the table's contract); Windows 3.1 read the current VM.
function execTime(vmm: Vmm, cpu: Cpu, site: number, name: string): void {
  requireVm(vmm, cpu.regs[Reg.EBX]!, name);
  cpu.regs[Reg.EAX] = Math.floor(vmm.clock.now - vmm.vmByHandle(cpu.regs[Reg.EBX]!)!.createdAt);
}
service("Get_VM_Exec_Time", (vmm, cpu, site) => execTime(vmm, cpu, site, "Get_VM_Exec_Time"));
service("Get_Last_Updated_VM_Exec_Time", (vmm, cpu, site) => execTime(vmm, cpu, site, "Get_Last_Updated_VM_Exec_Time"));

/** Time-outs still armed, for the final state. */
export function pendingTimeOuts(vmm: Vmm): { handle: number; kind: string; due: number }[] {
  return [...registry(vmm).values()].filter((t) => t.state === "pending").map((t) => ({ handle: t.handle, kind: t.kind, due: t.timer.due }));
}
