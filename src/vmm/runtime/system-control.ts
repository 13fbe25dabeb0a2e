// System_Control: a message goes to every loaded device in init order (the "…2" messages and the
// thread-terminate ones in reverse), each control procedure answering with CF.
import { Reg } from "../../ir/types.js";
import { messageByValue, type MessageInfo } from "../tables/messages.js";
import { byInitOrder, type RuntimeDevice } from "./devices.js";
import { hexOf } from "./hex.js";
import type { Vmm } from "./vmm.js";

export interface MessageRegisters {
  readonly ebx?: number;
  readonly esi?: number;
  readonly edi?: number;
  readonly edx?: number;
}

export interface BroadcastOptions {
  /** What a CF=1 answer does: stop the broadcast (the default), or unload that device and go on. */
  readonly onFailure?: "stop" | "unload";
  /** The instruction that sent it, for diagnostics (-1 when the VMM itself sends). */
  readonly site?: number;
  /** Only this device receives it (Directed_Sys_Control). */
  readonly only?: RuntimeDevice;
}

export interface BroadcastResult {
  readonly cf: boolean;
  readonly failed: RuntimeDevice | null;
}

export function messageName(value: number): string {
  return messageByValue(value)?.name ?? hexOf(value);
}

/** Whether CF=1 is a legal answer. Sys_VM_Init's sources conflict; Windows 95's "cannot fail" wins. */
export function mayFail(info: MessageInfo | undefined): boolean {
  return !info || info.failable === "can-fail" || info.failable === "unknown";
}

export function receivers(vmm: Vmm, info: MessageInfo | undefined): RuntimeDevice[] {
  const list = vmm.devices.filter((d) => d.loaded && (d.controlProc !== 0 || d.builtinControl !== null)).sort(byInitOrder);
  return info?.order === "reverse-init-order" ? list.reverse() : list;
}

export function broadcast(vmm: Vmm, message: number, regs: MessageRegisters, options: BroadcastOptions = {}): BroadcastResult {
  const cpu = vmm.cpu;
  const info = messageByValue(message);
  const name = messageName(message);
  const targets = options.only ? [options.only] : receivers(vmm, info);
  const guests = targets.filter((d) => !d.builtinControl).length;
  vmm.log("broadcast", `System_Control ${name}${regs.ebx !== undefined ? ` EBX=${hexOf(regs.ebx)}` : ""} → ${targets.length} device${targets.length === 1 ? "" : "s"} (${guests} of the program's)`, vmm.vmByHandle(regs.ebx ?? 0) ?? null);
  for (const dev of targets) {
    if (dev.builtinControl) {
      if (dev.builtinControl(message)) return { cf: true, failed: dev };
      continue;
    }
    cpu.regs[Reg.EAX] = message;
    cpu.regs[Reg.EBX] = regs.ebx ?? 0;
    cpu.regs[Reg.ESI] = regs.esi ?? 0;
    cpu.regs[Reg.EDI] = regs.edi ?? 0;
    cpu.regs[Reg.EDX] = regs.edx ?? 0;
    // ECX is the VMM's own: the receiver sees its DDB address there, never the sender's ECX.
    cpu.regs[Reg.ECX] = dev.ddb;
    cpu.regs[Reg.EBP] = vmm.currentVm.clientRegs;
    cpu.setFlag("cf", false);
    // Interrupts as the message's page says the handler finds them (unspecified: enabled).
    cpu.setFlag("if", info?.interruptsOnEntry !== "disabled");
    vmm.handling.push({ device: dev.name, message: name, info: info ?? null });
    try {
      vmm.callGuest(dev.controlProc, dev);
    } catch (e) {
      vmm.stopContext ??= vmm.context();
      throw e;
    } finally {
      vmm.handling.pop();
    }
    const cf = cpu.getFlag("cf");
    vmm.log("control", `${dev.name} ← ${name}: CF=${cf ? 1 : 0}`, null, dev.name);
    if (info && !info.mayEnableInterrupts && cpu.getFlag("if")) {
      vmm.violation(
        "interrupts-enabled",
        `device ${dev.name} returned from ${name} with interrupts enabled; ${name} runs with interrupts disabled and its handler must not STI`,
        options.site ?? -1,
        `remove the sti from the ${name} handler (enable nothing until a later message)`,
        [`${name}: ${info.summary}`],
        dev.decl?.span ?? null,
      );
    }
    if (!cf) continue;
    if (!mayFail(info)) {
      vmm.violation(
        "message-cannot-fail",
        `device ${dev.name} answered ${name} with CF=1, but ${name} cannot fail`,
        options.site ?? -1,
        `return with CF clear (clc) from the ${name} handler`,
        info ? [`${name}: ${info.summary}`] : [],
        dev.decl?.span ?? null,
      );
      continue;
    }
    if (options.onFailure === "unload") {
      dev.loaded = false;
      vmm.log("device", `${dev.name} failed ${name} and is unloaded`);
      continue;
    }
    return { cf: true, failed: dev };
  }
  return { cf: false, failed: null };
}
