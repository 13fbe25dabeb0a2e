// The VMM services the simulation models, by name. Each follows its register contract
// (src/vmm/tables/services.ts): it changes only its outputs and the flags it documents.
import { Reg } from "../../ir/types.js";
import type { Cpu } from "../../machine/cpu.js";
import { REPORTED_VMM_VERSION } from "../tables/constants.js";
import { STANDARD_DEVICES } from "../tables/devices.js";
import { isPrivateMessage, messageByValue, PRIVATE_MESSAGE_FIRST, PRIVATE_MESSAGE_LAST } from "../tables/messages.js";
import { requireVm } from "./checks.js";
import { broadcast } from "./system-control.js";
import type { RuntimeDevice } from "./devices.js";
import { VmmStop } from "./stop.js";
import { hexOf } from "./hex.js";
import { service } from "./service-registry.js";
import type { Vmm } from "./vmm.js";


const u = (v: number): number => v >>> 0;

// ---------------------------------------------------------------- VM handles

service("Get_VMM_Version", (_vmm, cpu) => {
  cpu.regs[Reg.EAX] = (REPORTED_VMM_VERSION.major << 8) | REPORTED_VMM_VERSION.minor;
  cpu.regs[Reg.ECX] = REPORTED_VMM_VERSION.debugRevision;
  cpu.setFlag("cf", false);
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
  requireVm(vmm, cpu.regs[Reg.EBX]!, "Assert_VM_Handle (Debug_Test_Valid_Handle)");
});
service("Get_Next_VM_Handle", (vmm, cpu, site) => {
  const live = vmm.vms.filter((v) => v.state !== "destroyed");
  const at = live.findIndex((v) => u(v.handle) === u(cpu.regs[Reg.EBX]!));
  if (at < 0) requireVm(vmm, cpu.regs[Reg.EBX]!, "Get_Next_VM_Handle");
  cpu.regs[Reg.EBX] = live[(at + 1) % live.length]!.handle;
});
service("Get_VMM_Reenter_Count", (vmm, cpu) => {
  cpu.regs[Reg.ECX] = vmm.reenterCount;
});
service("Test_Debug_Installed", (_vmm, cpu) => {
  // The simulation's debug output is always attached: ZF clear means a debugger is present.
  cpu.setFlag("zf", false);
});

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

/** Sends EAX with the caller's EBX/ESI/EDI/EDX; the caller keeps its registers and gets CF. */
function sendForCaller(vmm: Vmm, cpu: Cpu, site: number, only?: RuntimeDevice): void {
  const message = u(cpu.regs[Reg.EAX]!);
  checkSend(vmm, message, site);
  const saved = vmm.saveRegisters();
  const result = broadcast(vmm, message, { ebx: saved[Reg.EBX]!, esi: saved[Reg.ESI]!, edi: saved[Reg.EDI]!, edx: saved[Reg.EDX]! }, { site, ...(only ? { only } : {}) });
  vmm.restoreRegisters(saved);
  cpu.setFlag("cf", result.cf);
}

service("System_Control", (vmm, cpu, site) => sendForCaller(vmm, cpu, site));

service("Directed_Sys_Control", (vmm, cpu, site) => {
  const ddb = u(cpu.regs[Reg.ECX]!);
  const target = vmm.devices.find((d) => d.ddb !== 0 && u(d.ddb) === ddb);
  if (!target) throw new VmmStop("bad-declaration", `Directed_Sys_Control: ECX=${hexOf(ddb)} is not the DDB of a loaded device`, "load ECX with OFFSET32 <Name>_DDB");
  sendForCaller(vmm, cpu, site, target);
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
