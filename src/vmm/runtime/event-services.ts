// The event services (vmm-facts §4): global and VM events, priority and restricted events with
// their boosts and PEF_* restrictions, their cancels, the critical section and priorities.
import { Reg } from "../../ir/types.js";
import type { Cpu } from "../../machine/cpu.js";
import { requireCode, requireVm } from "./checks.js";
import { nearestLabel } from "./debug-output.js";
import { CANCEL_SERVICE, type EventKind, type ScheduledEvent } from "./events.js";
import { hexOf } from "./hex.js";
import { service } from "./service-registry.js";
import { boost, pef, pefNames } from "./tables-access.js";
import type { Vmm } from "./vmm.js";

const u = (v: number): number => v >>> 0;

interface Request {
  readonly kind: EventKind;
  readonly service: string;
  readonly vm: number;
  readonly boost: number;
  readonly flags: number;
}

/** What the caller asked for: the event as the queue records it, before it has a handle. */
function requested(vmm: Vmm, cpu: Cpu, site: number, r: Request, vm: number) {
  return {
    kind: r.kind,
    vm,
    callback: u(cpu.regs[Reg.ESI]!),
    refData: u(cpu.regs[Reg.EDX]!),
    service: r.service,
    owner: vmm.actor?.name ?? "VMM",
    site,
    boost: r.boost,
    flags: r.flags,
  };
}

function schedule(vmm: Vmm, cpu: Cpu, site: number, r: Request): ScheduledEvent {
  const ev = vmm.events.schedule(requested(vmm, cpu, site, r, r.vm));
  cpu.regs[Reg.ESI] = ev.handle;
  const vm = r.vm ? vmm.vmByHandle(r.vm) : undefined;
  vmm.log("event", `${r.service}: scheduled ${vm ? `event for VM ${vm.id}` : "global event"} ${hexOf(ev.handle)} → ${nearestLabel(vmm.program, ev.callback)}${r.flags ? ` [${pefNames(r.flags).join(" ")}]` : ""}`, vm ?? null, ev.owner);
  if (r.boost && vm) vmm.adjustPriority(vm, r.boost, `${r.service} boost`);
  if (r.flags & pef("PEF_Time_Out")) {
    const ms = u(cpu.regs[Reg.EDI]!);
    ev.timer = vmm.clock.at(vmm.clock.now + ms, `time-out of event ${hexOf(ev.handle)}`, () => vmm.timeOutEvent(ev));
  }
  return ev;
}

function callNow(vmm: Vmm, cpu: Cpu, site: number, r: Request): void {
  const vm = r.vm ? vmm.vmByHandle(r.vm)! : vmm.currentVm;
  const ev: ScheduledEvent = { ...requested(vmm, cpu, site, r, vm.handle), handle: 0, seq: -1, timer: null, state: "ran" };
  vmm.log("event", `${r.service}: callback ${nearestLabel(vmm.program, ev.callback)} called at once in VM ${vm.id}`, vm, ev.owner);
  if (r.boost && r.flags & pef("PEF_Dont_Unboost")) vmm.adjustPriority(vm, r.boost, `${r.service} boost kept (PEF_Dont_Unboost)`);
  vmm.callEventCallback(ev, vm);
  cpu.regs[Reg.ESI] = 0;
}

/** The seed's rule: call at once unless a hardware interrupt interrupted the VMM, the target VM is
 *  not current, or (priority services) PEF_Always_Sched is given or a restriction is not met now. */
function callOrSchedule(vmm: Vmm, cpu: Cpu, site: number, r: Request): void {
  requireCode(vmm, cpu.regs[Reg.ESI]!, r.service, "ESI");
  const notCurrent = r.vm !== 0 && r.vm !== u(vmm.currentVm.handle);
  const always = (r.flags & pef("PEF_Always_Sched")) !== 0;
  const restricted = r.flags !== 0 && !restrictionsMetNow(vmm, r);
  if (vmm.reenterCount > 0 || notCurrent || always || restricted) schedule(vmm, cpu, site, r);
  else callNow(vmm, cpu, site, r);
}

function restrictionsMetNow(vmm: Vmm, r: Request): boolean {
  return vmm.restrictionsMet({ flags: r.flags }, r.vm ? vmm.vmByHandle(r.vm) : undefined);
}

service("Call_VM_Event", (vmm, cpu, site) => {
  requireVm(vmm, cpu.regs[Reg.EBX]!, "Call_VM_Event");
  callOrSchedule(vmm, cpu, site, { kind: "vm", service: "Call_VM_Event", vm: u(cpu.regs[Reg.EBX]!), boost: 0, flags: 0 });
});
service("Schedule_VM_Event", (vmm, cpu, site) => {
  requireVm(vmm, cpu.regs[Reg.EBX]!, "Schedule_VM_Event");
  requireCode(vmm, cpu.regs[Reg.ESI]!, "Schedule_VM_Event", "ESI");
  schedule(vmm, cpu, site, { kind: "vm", service: "Schedule_VM_Event", vm: u(cpu.regs[Reg.EBX]!), boost: 0, flags: 0 });
});
service("Call_Global_Event", (vmm, cpu, site) => {
  callOrSchedule(vmm, cpu, site, { kind: "global", service: "Call_Global_Event", vm: 0, boost: 0, flags: 0 });
});
service("Schedule_Global_Event", (vmm, cpu, site) => {
  requireCode(vmm, cpu.regs[Reg.ESI]!, "Schedule_Global_Event", "ESI");
  schedule(vmm, cpu, site, { kind: "global", service: "Schedule_Global_Event", vm: 0, boost: 0, flags: 0 });
});

/** Checks EAX (boost) and ECX (flags) of the priority services; returns false after a violation. */
function checkPriorityRequest(vmm: Vmm, cpu: Cpu, site: number, serviceName: string, vmHandle: number): boolean {
  const flags = u(cpu.regs[Reg.ECX]!);
  const boostValue = cpu.regs[Reg.EAX]!;
  if (flags & pef("PEF_Thread_Event")) {
    vmm.violation("bad-event-flags", `${serviceName} with PEF_Thread_Event: threads are not modelled by the simulation`, site, "schedule the event for a VM (EBX = VM handle) instead");
    return false;
  }
  if (flags & pef("PEF_Wait_For_STI") && flags & pef("PEF_Wait_For_Thread_STI")) {
    vmm.violation("bad-event-flags", `${serviceName}: PEF_Wait_For_STI and PEF_Wait_For_Thread_STI cannot be combined`, site);
    return false;
  }
  if (flags & pef("PEF_Wait_Crit_VM") && vmHandle !== u(vmm.sysVm.handle)) {
    vmm.violation("bad-event-flags", `${serviceName}: PEF_Wait_Crit_VM is allowed only with the System VM handle`, site);
    return false;
  }
  if (flags & pef("PEF_Wait_Crit") && vmHandle !== 0) {
    vmm.violation("bad-event-flags", `${serviceName}: PEF_Wait_Crit is for global events only (EBX = 0)`, site);
    return false;
  }
  const vm = vmHandle ? vmm.vmByHandle(vmHandle) : vmm.currentVm;
  const result = (vm?.priority ?? 0) + boostValue;
  if (boostValue !== 0 && (result < 0 || result > boost("Reserved_High_Boost"))) {
    vmm.violation(
      "bad-event-flags",
      `${serviceName}: the boost in EAX (${hexOf(boostValue)}) takes the VM's priority out of range`,
      site,
      "EAX must hold a boost such as High_Pri_Device_Boost, or 0 for none; leaving EAX unset is a common mistake",
    );
    return false;
  }
  return true;
}

service("Call_Priority_VM_Event", (vmm, cpu, site) => {
  requireVm(vmm, cpu.regs[Reg.EBX]!, "Call_Priority_VM_Event");
  const vm = u(cpu.regs[Reg.EBX]!);
  if (!checkPriorityRequest(vmm, cpu, site, "Call_Priority_VM_Event", vm)) return;
  callOrSchedule(vmm, cpu, site, { kind: "priority", service: "Call_Priority_VM_Event", vm, boost: cpu.regs[Reg.EAX]!, flags: u(cpu.regs[Reg.ECX]!) });
});

service("Call_Restricted_Event", (vmm, cpu, site) => {
  const vm = u(cpu.regs[Reg.EBX]!);
  if (vm !== 0 && !(u(cpu.regs[Reg.ECX]!) & pef("PEF_Thread_Event"))) requireVm(vmm, vm, "Call_Restricted_Event");
  if (!checkPriorityRequest(vmm, cpu, site, "Call_Restricted_Event", vm)) return;
  callOrSchedule(vmm, cpu, site, { kind: "restricted", service: "Call_Restricted_Event", vm, boost: cpu.regs[Reg.EAX]!, flags: u(cpu.regs[Reg.ECX]!) });
});

function cancel(vmm: Vmm, cpu: Cpu, site: number, kind: EventKind, serviceName: string): void {
  const handle = u(cpu.regs[Reg.ESI]!);
  if (handle === 0) return;
  const ev = vmm.events.find(handle);
  const bad = (why: string, help?: string): void => vmm.violation("bad-event-handle", `${serviceName} with handle ${hexOf(handle)}: ${why}`, site, help);
  if (!ev) return bad("no event has this handle", "pass the handle the Schedule or Call service returned in ESI, or 0");
  if (ev.kind !== kind) {
    const right = CANCEL_SERVICE[ev.kind];
    return bad(`the event was created by ${ev.service}; ${right ? `cancel it with ${right}` : "no service cancels it"}`);
  }
  if (ev.state === "ran" || ev.state === "timed-out") return bad("its callback already ran", "clear the saved handle as the callback's first action, and cancel only a handle that is still set");
  if (ev.state === "cancelled") return bad("it was already cancelled");
  if (kind === "vm" && u(cpu.regs[Reg.EBX]!) !== ev.vm) {
    return bad(`it was scheduled for VM ${hexOf(ev.vm)}, but EBX holds ${hexOf(cpu.regs[Reg.EBX]!)}`, "cancel with the VM handle the event was scheduled for");
  }
  ev.state = "cancelled";
  if (ev.timer) ev.timer.cancelled = true;
  const vm = ev.vm ? vmm.vmByHandle(ev.vm) : undefined;
  vmm.log("event", `${serviceName}: cancelled ${hexOf(handle)}`, vm ?? null, vmm.actor?.name ?? null);
  // Cancelling a priority or restricted event removes its boost, even with PEF_Dont_Unboost.
  if (ev.boost && vm) vmm.adjustPriority(vm, -ev.boost, `${serviceName}`);
}

service("Cancel_VM_Event", (vmm, cpu, site) => cancel(vmm, cpu, site, "vm", "Cancel_VM_Event"));
service("Cancel_Global_Event", (vmm, cpu, site) => cancel(vmm, cpu, site, "global", "Cancel_Global_Event"));
service("Cancel_Priority_VM_Event", (vmm, cpu, site) => cancel(vmm, cpu, site, "priority", "Cancel_Priority_VM_Event"));
service("Cancel_Restricted_Event", (vmm, cpu, site) => cancel(vmm, cpu, site, "restricted", "Cancel_Restricted_Event"));

// ---------------------------------------------------------------- priorities and the critical section

service("Adjust_Exec_Priority", (vmm, cpu, site) => {
  requireVm(vmm, cpu.regs[Reg.EBX]!, "Adjust_Exec_Priority");
  vmm.adjustPriority(vmm.vmByHandle(cpu.regs[Reg.EBX]!)!, cpu.regs[Reg.EAX]!, "Adjust_Exec_Priority");
});
service("Begin_Critical_Section", (vmm) => {
  vmm.claimCritical(vmm.currentVm);
});
service("End_Critical_Section", (vmm, _cpu, site) => {
  vmm.releaseCritical(site);
});
service("Call_When_Not_Critical", (vmm, cpu, site) => {
  requireCode(vmm, cpu.regs[Reg.ESI]!, "Call_When_Not_Critical", "ESI");
  vmm.notCritical.push({ callback: u(cpu.regs[Reg.ESI]!), refData: u(cpu.regs[Reg.EDX]!), owner: vmm.actor, site });
  if (!vmm.critOwner) vmm.releaseCriticalWaiters();
});
service("Get_Crit_Section_Status", (vmm, cpu) => {
  cpu.regs[Reg.EBX] = vmm.critOwner?.handle ?? 0;
  cpu.regs[Reg.ECX] = vmm.critCount;
});
