// The VMM services the simulation models, by name. Each follows its register contract
// (src/vmm/tables/services.ts): it changes only its outputs and the flags it documents.
import { Reg } from "../../ir/types.js";
import type { Cpu } from "../../machine/cpu.js";
import { REPORTED_VMM_VERSION } from "../tables/constants.js";
import { STANDARD_DEVICES } from "../tables/devices.js";
import { isPrivateMessage, messageByValue, PRIVATE_MESSAGE_FIRST, PRIVATE_MESSAGE_LAST } from "../tables/messages.js";
import { nearestLabel } from "./debug-output.js";
import { CANCEL_SERVICE, type EventKind, type ScheduledEvent } from "./events.js";
import { broadcast, messageName } from "./system-control.js";
import { VmmStop } from "./stop.js";
import { hexOf, type Vmm } from "./vmm.js";

export type ServiceHandler = (vmm: Vmm, cpu: Cpu, site: number) => void;

const handlers = new Map<string, ServiceHandler>();
export const SERVICE_HANDLERS: ReadonlyMap<string, ServiceHandler> = handlers;

function service(name: string, h: ServiceHandler): void {
  handlers.set(name, h);
}

const u = (v: number): number => v >>> 0;

function requireVm(vmm: Vmm, handle: number, site: number, service: string): void {
  if (!vmm.vmByHandle(handle)) {
    throw new VmmStop("bad-vm-handle", `${service} was given ${hexOf(handle)} in EBX, which is not the handle of a live VM`, "get a VM handle from Get_Cur_VM_Handle, Get_Sys_VM_Handle or Get_Next_VM_Handle");
  }
  void site;
}

function requireCode(vmm: Vmm, address: number, service: string, reg: string): void {
  if (vmm.cpu.indexOfCodeAddress(u(address)) < 0) {
    throw new VmmStop("bad-jump", `${service} was given ${hexOf(address)} in ${reg} as the callback, which is not the address of an instruction`, "load it with OFFSET32 of a procedure, e.g. mov esi, OFFSET32 MyCallback");
  }
}

// ---------------------------------------------------------------- VM handles

service("Get_VMM_Version", (vmm, cpu) => {
  cpu.regs[Reg.EAX] = (REPORTED_VMM_VERSION.major << 8) | REPORTED_VMM_VERSION.minor;
  cpu.regs[Reg.ECX] = REPORTED_VMM_VERSION.debugRevision;
  cpu.setFlag("cf", false);
  void vmm;
});
service("Get_Cur_VM_Handle", (vmm, cpu) => {
  cpu.regs[Reg.EBX] = vmm.currentVm.handle;
});
service("Get_Sys_VM_Handle", (vmm, cpu) => {
  cpu.regs[Reg.EBX] = vmm.sysVm.handle;
});
service("Test_Cur_VM_Handle", (vmm, cpu) => {
  cpu.setFlag("zf", u(cpu.regs[Reg.EBX]!) === u(vmm.currentVm.handle));
});
service("Test_Sys_VM_Handle", (vmm, cpu) => {
  cpu.setFlag("zf", u(cpu.regs[Reg.EBX]!) === u(vmm.sysVm.handle));
});
service("Validate_VM_Handle", (vmm, cpu) => {
  cpu.setFlag("cf", vmm.vmByHandle(cpu.regs[Reg.EBX]!) === undefined);
});
service("Debug_Test_Valid_Handle", (vmm, cpu, site) => {
  requireVm(vmm, cpu.regs[Reg.EBX]!, site, "Assert_VM_Handle (Debug_Test_Valid_Handle)");
});
service("Get_Next_VM_Handle", (vmm, cpu, site) => {
  const live = vmm.vms.filter((v) => v.state !== "destroyed");
  const at = live.findIndex((v) => u(v.handle) === u(cpu.regs[Reg.EBX]!));
  if (at < 0) requireVm(vmm, cpu.regs[Reg.EBX]!, site, "Get_Next_VM_Handle");
  cpu.regs[Reg.EBX] = live[(at + 1) % live.length]!.handle;
});
service("Get_VMM_Reenter_Count", (vmm, cpu) => {
  cpu.regs[Reg.ECX] = vmm.reenterCount;
});
service("Test_Debug_Installed", (_vmm, cpu) => {
  // The simulation's debug output is always attached: ZF clear means a debugger is present.
  cpu.setFlag("zf", false);
});

// ---------------------------------------------------------------- events

function schedule(vmm: Vmm, cpu: Cpu, site: number, kind: EventKind, service: string): ScheduledEvent {
  const ev = vmm.events.schedule({
    kind,
    vm: kind === "vm" ? u(cpu.regs[Reg.EBX]!) : 0,
    callback: u(cpu.regs[Reg.ESI]!),
    refData: u(cpu.regs[Reg.EDX]!),
    service,
    owner: vmm.actor?.name ?? "VMM",
    site,
  });
  cpu.regs[Reg.ESI] = ev.handle;
  vmm.log("event", `${service}: scheduled ${kind === "vm" ? `VM event for VM ${vmm.vmByHandle(ev.vm)?.id}` : "global event"} ${hexOf(ev.handle)} → ${nearestLabel(vmm.program, ev.callback)}`);
  return ev;
}

function callNow(vmm: Vmm, cpu: Cpu, site: number, kind: EventKind, service: string): void {
  const vm = kind === "vm" ? vmm.vmByHandle(cpu.regs[Reg.EBX]!)! : vmm.currentVm;
  const ev: ScheduledEvent = {
    handle: 0,
    kind,
    vm: vm.handle,
    callback: u(cpu.regs[Reg.ESI]!),
    refData: u(cpu.regs[Reg.EDX]!),
    service,
    owner: vmm.actor?.name ?? "VMM",
    site,
    state: "ran",
  };
  vmm.log("event", `${service}: callback ${nearestLabel(vmm.program, ev.callback)} called at once in VM ${vm.id}`);
  vmm.callEventCallback(ev, vm);
  cpu.regs[Reg.ESI] = 0;
}

service("Call_VM_Event", (vmm, cpu, site) => {
  requireVm(vmm, cpu.regs[Reg.EBX]!, site, "Call_VM_Event");
  requireCode(vmm, cpu.regs[Reg.ESI]!, "Call_VM_Event", "ESI");
  // The seed's rule: schedule if a hardware interrupt interrupted the VMM, or the VM is not current.
  if (vmm.reenterCount > 0 || u(cpu.regs[Reg.EBX]!) !== u(vmm.currentVm.handle)) schedule(vmm, cpu, site, "vm", "Call_VM_Event");
  else callNow(vmm, cpu, site, "vm", "Call_VM_Event");
});
service("Schedule_VM_Event", (vmm, cpu, site) => {
  requireVm(vmm, cpu.regs[Reg.EBX]!, site, "Schedule_VM_Event");
  requireCode(vmm, cpu.regs[Reg.ESI]!, "Schedule_VM_Event", "ESI");
  schedule(vmm, cpu, site, "vm", "Schedule_VM_Event");
});
service("Call_Global_Event", (vmm, cpu, site) => {
  requireCode(vmm, cpu.regs[Reg.ESI]!, "Call_Global_Event", "ESI");
  if (vmm.reenterCount > 0) schedule(vmm, cpu, site, "global", "Call_Global_Event");
  else callNow(vmm, cpu, site, "global", "Call_Global_Event");
});
service("Schedule_Global_Event", (vmm, cpu, site) => {
  requireCode(vmm, cpu.regs[Reg.ESI]!, "Schedule_Global_Event", "ESI");
  schedule(vmm, cpu, site, "global", "Schedule_Global_Event");
});

function cancel(vmm: Vmm, cpu: Cpu, site: number, kind: EventKind, service: string): void {
  const handle = u(cpu.regs[Reg.ESI]!);
  if (handle === 0) return;
  const ev = vmm.events.find(handle);
  const bad = (why: string, help?: string): void => vmm.violation("bad-event-handle", `${service} with handle ${hexOf(handle)}: ${why}`, site, help);
  if (!ev) return bad("no event has this handle", "pass the handle the Schedule or Call service returned in ESI, or 0");
  if (ev.kind !== kind) return bad(`the event was created by ${ev.service}; cancel it with ${CANCEL_SERVICE[ev.kind]}`);
  if (ev.state === "ran") return bad("its callback already ran", "clear the saved handle as the callback's first action, and cancel only a handle that is still set");
  if (ev.state === "cancelled") return bad("it was already cancelled");
  if (kind === "vm" && u(cpu.regs[Reg.EBX]!) !== ev.vm) {
    return bad(`it was scheduled for VM ${hexOf(ev.vm)}, but EBX holds ${hexOf(cpu.regs[Reg.EBX]!)}`, "cancel with the VM handle the event was scheduled for");
  }
  ev.state = "cancelled";
  vmm.log("event", `${service}: cancelled ${hexOf(handle)}`);
}

service("Cancel_VM_Event", (vmm, cpu, site) => cancel(vmm, cpu, site, "vm", "Cancel_VM_Event"));
service("Cancel_Global_Event", (vmm, cpu, site) => cancel(vmm, cpu, site, "global", "Cancel_Global_Event"));

// ---------------------------------------------------------------- System_Control

const SENDER_DEVICE: Record<string, string> = { shell: "SHELL", dosmgr: "DOSMGR", vpowerd: "VPOWERD" };

function checkSend(vmm: Vmm, message: number, site: number): void {
  const sender = vmm.actor;
  if (!sender) return; // the VMM itself
  if (isPrivateMessage(message)) return;
  const info = messageByValue(message);
  if (!info) {
    vmm.violation(
      "private-message-range",
      `System_Control message ${hexOf(message)} is neither a VMM message nor a private one`,
      site,
      `private messages are ${hexOf(PRIVATE_MESSAGE_FIRST)} to ${hexOf(PRIVATE_MESSAGE_LAST)} (BEGIN_RESERVED_PRIVATE_SYSTEM_CONTROL to END_RESERVED_PRIVATE_SYSTEM_CONTROL)`,
    );
    return;
  }
  if (info.sender === "any-device") return;
  const allowed = SENDER_DEVICE[info.sender];
  const allowedId = allowed ? STANDARD_DEVICES.find((d) => d.name.toUpperCase() === allowed)?.id : undefined;
  if (allowedId !== undefined && sender.id === allowedId) return;
  vmm.violation(
    "illegal-system-control-send",
    `device ${sender.name} sent ${info.name}, which ${allowed ? `only ${allowed} may send` : "only the VMM sends"}`,
    site,
    "devices may send Set_Device_Focus and private messages (70000000h-7FFFFFFFh); the VMM and the shell send the rest",
  );
}

service("System_Control", (vmm, cpu, site) => {
  const message = u(cpu.regs[Reg.EAX]!);
  checkSend(vmm, message, site);
  const saved = vmm.saveRegisters();
  const result = broadcast(vmm, message, { ebx: saved[Reg.EBX]!, esi: saved[Reg.ESI]!, edi: saved[Reg.EDI]!, edx: saved[Reg.EDX]! }, { site });
  vmm.restoreRegisters(saved);
  cpu.setFlag("cf", result.cf);
});

service("Directed_Sys_Control", (vmm, cpu, site) => {
  const message = u(cpu.regs[Reg.EAX]!);
  const ddb = u(cpu.regs[Reg.ECX]!);
  const target = vmm.devices.find((d) => d.ddb !== 0 && u(d.ddb) === ddb);
  if (!target) throw new VmmStop("bad-declaration", `Directed_Sys_Control: ECX=${hexOf(ddb)} is not the DDB of a loaded device`, "load ECX with OFFSET32 <Name>_DDB");
  checkSend(vmm, message, site);
  const saved = vmm.saveRegisters();
  const result = broadcast(vmm, message, { ebx: saved[Reg.EBX]!, esi: saved[Reg.ESI]!, edi: saved[Reg.EDI]!, edx: saved[Reg.EDX]! }, { site, only: target });
  vmm.restoreRegisters(saved);
  cpu.setFlag("cf", result.cf);
  void messageName;
});

// ---------------------------------------------------------------- debugging output and errors

function readString(cpu: Cpu, address: number): string {
  return cpu.memory.readCString(u(address), 4096);
}

service("Out_Debug_String", (vmm, cpu) => {
  vmm.write(readString(cpu, cpu.regs[Reg.ESI]!).replace(/\r\n?/g, "\n"));
});
service("_Trace_Out_Service", (vmm, cpu) => {
  vmm.traceOut(cpu, readString(cpu, cpu.memory.read32(u(cpu.regs[Reg.ESP]!))));
});
service("_Debug_Out_Service", (vmm, cpu) => {
  vmm.traceOut(cpu, readString(cpu, cpu.memory.read32(u(cpu.regs[Reg.ESP]!))));
});
service("Fatal_Error_Handler", (_vmm, cpu) => {
  const msg = u(cpu.regs[Reg.ESI]!);
  const text = msg ? readString(cpu, msg) : "";
  throw new VmmStop("fatal-error", text ? `Fatal_Error: ${text}` : "Fatal_Error with no message", undefined, [`exit flags (EAX) = ${hexOf(cpu.regs[Reg.EAX]!)}`]);
});
