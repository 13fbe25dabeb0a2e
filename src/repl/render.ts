// How the REPL shows the machine: what a line changed, registers, flags, memory, VMs, devices,
// events, a stop. Plain text with colour from the ChalkInstance it is given (none when piped).
import type { ChalkInstance } from "chalk";
import { Op, REG_NAMES32, type IrProgram } from "../ir/types.js";
import { nearestLabel } from "../vmm/runtime/debug-output.js";
import { CLIENT_REG_STRUC, VM_CONTROL_BLOCK } from "../vmm/tables/structures.js";
import type { Changes, ReplSession, StopInfo } from "./session.js";

export const hex8 = (v: number): string => (v >>> 0).toString(16).toUpperCase().padStart(8, "0");
const hex2 = (v: number): string => v.toString(16).toUpperCase().padStart(2, "0");

const FLAGS: readonly [string, number][] = [["CF", 0], ["PF", 2], ["AF", 4], ["ZF", 6], ["SF", 7], ["OF", 11], ["DF", 10], ["IF", 9]];

/** What an address is: a label of the program, a field of a VM's structures, the stack. */
export function describeAddress(s: ReplSession, address: number): string {
  const a = address >>> 0;
  const cpu = s.cpu;
  if (a >= cpu.stackLimit && a < cpu.stackTop) return `stack, ESP${a >= (cpu.regs[4]! >>> 0) ? "+" : "-"}${Math.abs(a - (cpu.regs[4]! >>> 0)).toString(16).toUpperCase()}h`;
  for (const vm of s.vmm.vms) {
    const cb = a - (vm.handle >>> 0);
    if (cb >= 0 && cb < VM_CONTROL_BLOCK.size) return `VM ${vm.id} ${fieldAt(VM_CONTROL_BLOCK.fields, cb)}`;
    const cr = a - (vm.clientRegs >>> 0);
    if (cr >= 0 && cr < CLIENT_REG_STRUC.size) return `VM ${vm.id} ${fieldAt(CLIENT_REG_STRUC.fields, cr)}`;
  }
  const p = s.program;
  if (a >= p.data.base && a < p.data.base + p.data.bytes.length + 0x10000) {
    const l = nearestLabel(p, a);
    if (!/^[0-9A-F]{8}$/.test(l)) return l;
  }
  return "";
}

function fieldAt(fields: readonly { name: string; offset: number; size: number }[], offset: number): string {
  const f = fields.find((x) => offset >= x.offset && offset < x.offset + x.size);
  if (!f) return `+${offset.toString(16).toUpperCase()}h`;
  return offset === f.offset ? f.name : `${f.name}+${offset - f.offset}`;
}

export function formatChanges(ch: Changes, s: ReplSession, c: ChalkInstance): string[] {
  const out: string[] = [];
  const regs = ch.registers.map((r) => `${c.cyan(r.name)} ${c.dim(hex8(r.before))} → ${c.bold(hex8(r.after))}`);
  for (let i = 0; i < regs.length; i += 3) out.push(`  ${regs.slice(i, i + 3).join("   ")}`);
  if (ch.flags.length) out.push(`  ${c.cyan("flags")} ${ch.flags.map((f) => `${f.name} ${c.dim(String(f.before))}→${c.bold(String(f.after))}`).join("  ")}`);
  const shown = ch.memory.slice(0, 8);
  for (const m of shown) {
    const what = describeAddress(s, m.address);
    out.push(`  ${c.cyan("mem")} ${hex8(m.address)}${what ? ` ${c.dim(`[${what}]`)}` : ""}  ${c.dim(m.before.map(hex2).join(" "))} → ${c.bold(m.after.map(hex2).join(" "))}`);
  }
  if (ch.memory.length > shown.length) out.push(`  ${c.cyan("mem")} ${c.dim(`… and ${ch.memory.length - shown.length} more runs of bytes (.mem shows memory)`)}`);
  if (ch.pending.before !== ch.pending.after) out.push(`  ${c.magenta("events")} pending ${c.dim(String(ch.pending.before))} → ${c.bold(String(ch.pending.after))} ${c.dim("(.events lists them)")}`);
  if (ch.vm.before !== ch.vm.after) out.push(`  ${c.magenta("current VM")} ${c.dim(String(ch.vm.before))} → ${c.bold(String(ch.vm.after))}`);
  return out;
}

/** Source text of instruction `index`, without its comment. */
export function instructionText(p: IrProgram, index: number): string {
  const span = p.spans[index];
  if (!span) return p.instrs[index]?.mnemonic ?? "?";
  const line = p.sources.get(span.file)?.split(/\r\n|\r|\n/)[span.line - 1] ?? "";
  return line.replace(/;.*$/, "").replace(/\s+/g, " ").trim() || (p.instrs[index]?.mnemonic ?? "?");
}

export function procedureOf(p: IrProgram, index: number): string {
  const proc = p.procs.find((x) => index >= x.start && index < x.end);
  return proc ? proc.name : "top-level code";
}

export function where(p: IrProgram, index: number): string {
  const span = p.spans[index];
  return span ? `${span.file}:${span.line}` : "?";
}

export function formatStop(stop: StopInfo, p: IrProgram, c: ChalkInstance): string[] {
  const after = `after ${stop.steps} instruction${stop.steps === 1 ? "" : "s"}`;
  const atEnd = p.instrs[stop.index]?.op === Op.HALT;
  const out = [
    atEnd
      ? `  ${c.yellow("stopped")} at the end of the line's code ${c.dim(`(${after})`)}`
      : `  ${c.yellow("stopped")} before ${c.bold(instructionText(p, stop.index))} ${c.dim(`at ${where(p, stop.index)} in ${procedureOf(p, stop.index)}, ${after}`)}`,
  ];
  for (const site of stop.backtrace.slice(0, 6)) out.push(`    ${c.dim(`called from ${procedureOf(p, site)} at ${where(p, site)}: ${instructionText(p, site)}`)}`);
  out.push(`  ${c.dim(".step [n] runs on by n instructions, .continue to the next breakpoint or the end, .undo abandons the line")}`);
  return out;
}

export function formatRegisters(s: ReplSession, c: ChalkInstance): string[] {
  const r = s.cpu.regs;
  const cell = (i: number): string => `${c.cyan(REG_NAMES32[i]!)} ${hex8(r[i]!)}`;
  return [`  ${[0, 3, 1, 2].map(cell).join("  ")}`, `  ${[6, 7, 5, 4].map(cell).join("  ")}`, ...formatFlags(s, c)];
}

export function formatFlags(s: ReplSession, c: ChalkInstance): string[] {
  const ef = s.cpu.getEflags() >>> 0;
  return [`  ${FLAGS.map(([n, b]) => `${c.cyan(n)}=${(ef >>> b) & 1}`).join(" ")}  ${c.dim(`EFLAGS ${hex8(ef)}`)}`];
}

export function formatMemory(s: ReplSession, address: number, length: number, c: ChalkInstance): string[] {
  const out: string[] = [];
  const start = address >>> 0;
  const what = describeAddress(s, start);
  if (what) out.push(`  ${c.dim(`${hex8(start)} is ${what}`)}`);
  for (let row = start - (start % 16); row < start + length; row += 16) {
    const cells: string[] = [];
    let ascii = "";
    for (let a = row; a < row + 16; a++) {
      if (a < start || a >= start + length) {
        cells.push("  ");
        ascii += " ";
        continue;
      }
      let b: number | null;
      try {
        b = s.cpu.memory.read8(a);
      } catch {
        b = null;
      }
      cells.push(b === null ? c.dim("??") : hex2(b));
      ascii += b === null ? " " : b >= 32 && b < 127 ? String.fromCharCode(b) : ".";
    }
    out.push(`  ${c.cyan(hex8(row))}  ${cells.slice(0, 8).join(" ")}  ${cells.slice(8).join(" ")}  ${c.dim(ascii)}`);
  }
  return out;
}

export function formatVms(s: ReplSession, c: ChalkInstance): string[] {
  return s.inspect(() => {
    const pending = s.vmm.events.pending();
    return s.vmm.vms.map((vm) => {
      const mine = pending.filter((e) => e.vm >>> 0 === vm.handle >>> 0).length;
      const tags = [vm.state, ...(vm === s.vmm.sysVm ? ["System VM"] : []), ...(vm === s.vmm.currentVm ? [c.bold("current")] : [])];
      const priority = typeof (vm as { priority?: unknown }).priority === "number" ? `  priority ${hex8((vm as { priority: number }).priority)}` : "";
      return `  ${c.cyan(`VM ${vm.id}`)}  handle ${hex8(vm.handle)}  ${tags.join(", ")}  ${c.dim(`Client_Reg_Struc at ${hex8(vm.clientRegs)}${priority}`)}${mine ? `  ${c.magenta(`${mine} event${mine === 1 ? "" : "s"} pending`)}` : ""}`;
    });
  });
}

export function formatDevices(s: ReplSession, c: ChalkInstance): string[] {
  const p = s.program;
  return s.vmm.devices.map((d) => {
    const control = d.controlProc ? `control ${nearestLabel(p, d.controlProc >>> 0)}` : d.builtin ? "built in" : "no control procedure";
    return `  ${c.cyan(d.name.padEnd(9))} ID ${(d.id >>> 0).toString(16).toUpperCase().padStart(4, "0")}h  init order ${hex8(d.initOrder)}  ${c.dim(control)}${d.loaded ? "" : c.red("  unloaded")}`;
  });
}

export function formatEvents(s: ReplSession, c: ChalkInstance): string[] {
  return s.inspect(() => {
    const p = s.program;
    const out = s.vmm.events.pending().map((e) => {
      const vm = e.vm ? s.vmm.vmByHandle(e.vm) : undefined;
      return `  ${c.magenta(hex8(e.handle))}  ${e.kind} event${vm ? ` for VM ${vm.id}` : ""} → ${c.bold(e.callback ? nearestLabel(p, e.callback >>> 0) : "no callback")}  ${c.dim(`reference data ${hex8(e.refData)}, from ${e.service} by ${e.owner}`)}`;
    });
    const clock = (s.vmm as { clock?: { now: number; pending(): { due: number; what: string }[] } }).clock;
    const timers = clock ? clock.pending() : [];
    for (const t of timers) out.push(`  ${c.magenta(`at ${t.due} ms`)}  ${t.what}`);
    if (out.length === 0) out.push(c.dim("  no events pending"));
    if (clock) out.push(c.dim(`  simulated time ${clock.now} ms; .events run returns to the VMM (events run), .wait MS lets time pass`));
    return out;
  });
}
