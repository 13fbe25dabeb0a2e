// The shell's message boxes: SHELL_SYSMODAL_Message shows its box and answers at once;
// SHELL_Message queues it as an event, shows it at event time and then calls the callback with
// EAX = the answer, EDX = the reference data, like any event callback. There is no user: the
// answer is the box's default button. What the user would see goes to the run's output.
import { Reg } from "../../ir/types.js";
import type { Cpu } from "../../machine/cpu.js";
import { MachineFault } from "../../machine/fault.js";
import { MESSAGE_BOX_BUTTONS, MESSAGE_BOX_FIELDS, SHELL_MESSAGE_CONSTANTS } from "../tables/constants.js";
import { requireCode, requireVm } from "./checks.js";
import { nearestLabel } from "./debug-output.js";
import { hexOf } from "./hex.js";
import { service } from "./service-registry.js";
import { VmmStop } from "./stop.js";
import type { VirtualMachine } from "./vm.js";
import type { Vmm } from "./vmm.js";

const u = (v: number): number => v >>> 0;

/** Longer text than this is taken to be a string without its terminating zero. */
const MESSAGE_TEXT_LIMIT = 4096;

function shellConstant(name: string): { value: number; meaning: string } {
  const c = SHELL_MESSAGE_CONSTANTS.find((x) => x.name === name);
  if (!c) throw new Error(`no table entry ${name}`);
  return c;
}

/** "IDOK" → "OK", from the table's meaning "answer: OK". */
const buttonLabel = (id: string): string => shellConstant(id).meaning.replace(/^answer:\s*/, "");

interface MessageBox {
  readonly vm: VirtualMachine;
  readonly service: string;
  readonly buttons: readonly string[];
  /** Index into `buttons` of the default button: the simulated user's answer. */
  readonly answer: number;
  readonly textAddress: number;
  readonly captionAddress: number;
}

/** Reads a zero-terminated string the service was given, or stops with what is wrong with it. */
function readAsciiz(vmm: Vmm, address: number, serviceName: string, reg: string, what: string): string {
  const bad = (why: string, help: string): VmmStop => new VmmStop("bad-message-box", `${serviceName} was given ${hexOf(address)} in ${reg} as the ${what}, ${why}`, help);
  const memory = vmm.cpu.memory;
  let text = "";
  for (let i = 0; i < MESSAGE_TEXT_LIMIT; i++) {
    let c: number;
    try {
      c = memory.read8(u(address + i));
    } catch (e) {
      if (!(e instanceof MachineFault)) throw e;
      throw i === 0
        ? bad("which is not an address in memory", `load ${reg} with OFFSET32 of a zero-terminated string`)
        : bad(`a string that runs off the end of memory after ${i} bytes without a terminating zero`, "end the string with a 0 byte");
    }
    if (c === 0) return text;
    text += String.fromCharCode(c);
  }
  throw bad(`a string with no terminating zero in its first ${MESSAGE_TEXT_LIMIT} bytes`, "end the string with a 0 byte, e.g. db 'text', 0");
}

/** The buttons EAX asks for and its default; a break of the flags' contract is reported. */
function buttonsOf(vmm: Vmm, flags: number, site: number, serviceName: string): { buttons: readonly string[]; answer: number } {
  const type = flags & MESSAGE_BOX_FIELDS.typeMask;
  const kind = MESSAGE_BOX_BUTTONS.find((k) => shellConstant(k.type).value === type);
  if (!kind) {
    vmm.violation("bad-message-box", `${serviceName}: EAX (${hexOf(flags)}) names no message box type (bits 3-0 are ${type})`, site, `give one of ${MESSAGE_BOX_BUTTONS.map((k) => k.type).join(", ")}`);
    return { buttons: MESSAGE_BOX_BUTTONS[0]!.buttons, answer: 0 };
  }
  const wanted = (flags & MESSAGE_BOX_FIELDS.defaultButtonMask) >>> MESSAGE_BOX_FIELDS.defaultButtonShift;
  if (wanted >= kind.buttons.length) {
    vmm.violation("bad-message-box", `${serviceName}: EAX (${hexOf(flags)}) makes button ${wanted + 1} the default, but a ${kind.type} box has ${kind.buttons.length}`, site, `use MB_DEFBUTTON1${kind.buttons.length > 1 ? ` to MB_DEFBUTTON${kind.buttons.length}` : ""} with ${kind.type}`);
    return { buttons: kind.buttons, answer: 0 };
  }
  return { buttons: kind.buttons, answer: wanted };
}

function readBox(vmm: Vmm, cpu: Cpu, site: number, serviceName: string): MessageBox {
  requireVm(vmm, cpu.regs[Reg.EBX]!, serviceName);
  const vm = vmm.vmByHandle(cpu.regs[Reg.EBX]!)!;
  const flags = u(cpu.regs[Reg.EAX]!);
  const textAddress = u(cpu.regs[Reg.ECX]!);
  const captionAddress = u(cpu.regs[Reg.EDI]!);
  readAsciiz(vmm, textAddress, serviceName, "ECX", "message text");
  if (captionAddress !== 0) readAsciiz(vmm, captionAddress, serviceName, "EDI", "caption");
  return { vm, service: serviceName, textAddress, captionAddress, ...buttonsOf(vmm, flags, site, serviceName) };
}

const oneLine = (s: string): string => s.replace(/\r\n|\r|\n/g, " ");

/** The box as the user would see it, and the simulated answer. Read now: the strings must stay
 *  valid until the box is shown, and the user sees whatever they hold then. */
function describe(vmm: Vmm, box: MessageBox, systemModal: boolean): string {
  const read = (address: number): string => oneLine(vmm.cpu.memory.readCString(address, MESSAGE_TEXT_LIMIT));
  const caption = box.captionAddress === 0 ? "(standard caption)" : read(box.captionAddress) || "(no caption)";
  const buttons = box.buttons.map((b) => `[${buttonLabel(b)}]`).join(" ");
  return `SHELL ${systemModal ? "system-modal " : ""}message box for VM ${box.vm.id} — ${caption}: ${read(box.textAddress)} ${buttons} → ${box.buttons[box.answer]}`;
}

function show(vmm: Vmm, box: MessageBox, systemModal: boolean): number {
  const line = describe(vmm, box, systemModal);
  vmm.write(line + "\n");
  vmm.log("service", line, box.vm, "SHELL");
  return shellConstant(box.buttons[box.answer]!).value;
}

service("SHELL_SYSMODAL_Message", (vmm, cpu, site) => {
  const box = readBox(vmm, cpu, site, "SHELL_SYSMODAL_Message");
  if (!(u(cpu.regs[Reg.EAX]!) & shellConstant("MB_SYSTEMMODAL").value)) {
    vmm.violation(
      "bad-message-box",
      `SHELL_SYSMODAL_Message without MB_SYSTEMMODAL in EAX (${hexOf(cpu.regs[Reg.EAX]!)})`,
      site,
      "the service requires MB_SYSTEMMODAL: e.g. mov eax, MB_OK OR MB_SYSTEMMODAL; for a box that need not stop the system use SHELL_Message",
    );
  }
  cpu.regs[Reg.EAX] = show(vmm, box, true);
});

service("SHELL_Message", (vmm, cpu, site) => {
  const box = readBox(vmm, cpu, site, "SHELL_Message");
  const callback = u(cpu.regs[Reg.ESI]!);
  if (callback !== 0) requireCode(vmm, callback, "SHELL_Message", "ESI");
  const owner = vmm.actor?.name ?? "VMM";
  const answer = shellConstant(box.buttons[box.answer]!).value;
  // A global event: the callback runs in whichever VM is current, so EBX cannot be trusted.
  const ev = vmm.events.schedule({
    kind: "shell-message",
    vm: 0,
    callback,
    refData: u(cpu.regs[Reg.EDX]!),
    eax: answer,
    onDue: () => void show(vmm, box, false),
    service: "SHELL_Message",
    owner,
    site,
    boost: 0,
    flags: 0,
  });
  vmm.log("event", `SHELL_Message: message box ${hexOf(ev.handle)} for VM ${box.vm.id} queued${callback ? ` → ${nearestLabel(vmm.program, callback)}` : ""}`, box.vm, owner);
  cpu.regs[Reg.EAX] = ev.handle;
  cpu.setFlag("cf", false);
});
