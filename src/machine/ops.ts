import { Reg } from "../ir/types.js";
import { sx } from "./alu.js";
import type { Cpu } from "./cpu.js";
import type { DInstr } from "./decode.js";
import { MachineFault } from "./fault.js";
import { CF } from "./flags.js";
import type { Flags } from "./flags.js";
import type { Memory } from "./memory.js";
import { ea, get, loc, put, val } from "./operands.js";

// The instructions that take more than a few lines in the executor's switch.

const ECX = Reg.ECX,
  ESP = Reg.ESP,
  EBP = Reg.EBP;

/** LOOP's counter: ECX (CX when size is 2), decremented; flags untouched. Returns the new count. */
export function decCount(R: Int32Array, size: number): number {
  if (size === 2) {
    const c = (R[ECX]! - 1) & 0xffff;
    R[ECX] = (R[ECX]! & ~0xffff) | c;
    return c;
  }
  return (R[ECX] = R[ECX]! - 1);
}

/** Near return: the instruction index to go on at, or -1 if the host sentinel was popped. */
export function ret(cpu: Cpu, bytes: number, base: number): number {
  const R = cpu.R;
  const esp = R[ESP]! >>> 0;
  cpu.checkPop(4 + bytes);
  const addr = cpu.memory.read32(esp);
  const to = addr === cpu.sentinel32 ? -1 : cpu.jumpIndex(addr, "return");
  R[ESP] = esp + 4 + bytes;
  cpu.leave(esp, base);
  return to;
}

export function hostCall(cpu: Cpu, d: DInstr, pc: number): void {
  const depth = cpu.depth;
  cpu.enter(pc, cpu.R[ESP]!);
  try {
    if (d.op === 69) cpu.host.interrupt(cpu, d.extra & 0xff, pc);
    else cpu.host.vxdcall(cpu, d.extra >>> 0, pc);
  } finally {
    cpu.depth = depth;
  }
}

/** Trace_Out: the host sees the registers as they are, and gets them (and the flags) back. */
export function traceOut(cpu: Cpu, d: DInstr, pc: number): void {
  const R = cpu.R,
    f = cpu.flags;
  const r0 = R[0]!,
    r1 = R[1]!,
    r2 = R[2]!,
    r3 = R[3]!,
    r4 = R[4]!,
    r5 = R[5]!,
    r6 = R[6]!,
    r7 = R[7]!;
  const kind = f.kind,
    res = f.res,
    a = f.a,
    b = f.b,
    carry = f.carry,
    over = f.over,
    bits = f.bits,
    df = f.df,
    intf = f.intf;
  const depth = cpu.depth;
  cpu.enter(pc, r4);
  try {
    cpu.host.traceOut(cpu, d.text, pc);
  } finally {
    cpu.depth = depth;
    R[0] = r0;
    R[1] = r1;
    R[2] = r2;
    R[3] = r3;
    R[4] = r4;
    R[5] = r5;
    R[6] = r6;
    R[7] = r7;
    f.kind = kind;
    f.res = res;
    f.a = a;
    f.b = b;
    f.carry = carry;
    f.over = over;
    f.bits = bits;
    f.df = df;
    f.intf = intf;
  }
}

export function pushAll(cpu: Cpu, size: number): void {
  const R = cpu.R;
  const esp = R[ESP]!;
  cpu.checkPush((esp >>> 0) - 8 * size);
  for (let r = 0; r < 8; r++) {
    const v = r === ESP ? esp : R[r]!;
    if (size === 2) cpu.push16(v);
    else cpu.push32(v);
  }
}

export function popAll(cpu: Cpu, size: number): void {
  const R = cpu.R;
  cpu.checkPop(8 * size);
  for (let r = 7; r >= 0; r--) {
    const v = size === 2 ? cpu.pop16() : cpu.pop32();
    if (r === ESP) continue;
    if (size === 2) R[r] = (R[r]! & ~0xffff) | v;
    else R[r] = v;
  }
}

/**
 * BT BTS BTR BTC. With a register base, or an immediate offset, the offset is taken modulo the
 * width; with a memory base and a register offset the operand is a bit string and the signed
 * offset may reach outside the addressed unit. Only CF is defined; OF SF AF PF are undefined and
 * we leave them (and ZF, which is unaffected) unchanged.
 */
export function bitTest(R: Int32Array, mem: Memory, f: Flags, d: DInstr): void {
  const a = d.a,
    size = d.size,
    w = size * 8;
  let off = val(R, mem, d.b);
  let addr = 0;
  if (a.k >= 6) {
    addr = ea(R, a);
    if (d.b.k !== 5) {
      off = sx(off, size);
      addr = (addr + size * Math.floor(off / w)) >>> 0;
    }
  }
  const bit = off & (w - 1);
  const v = get(R, mem, a, addr);
  const cf = (v >>> bit) & 1;
  f.update(CF, cf);
  if (d.op === 71) return;
  const m = 1 << bit;
  const nv = d.op === 72 ? v | m : d.op === 73 ? v & ~m : v ^ m;
  put(R, mem, a, addr, nv);
}

export function enter(cpu: Cpu, d: DInstr): void {
  const R = cpu.R;
  const bytes = d.a.d & 0xffff,
    level = d.b.d & 31;
  if (level !== 0) throw new MachineFault("trap", `enter with nesting level ${level} is not supported`);
  cpu.checkPush((R[ESP]! >>> 0) - d.size - bytes);
  if (d.size === 2) {
    cpu.push16(R[EBP]!);
    R[EBP] = (R[EBP]! & ~0xffff) | (R[ESP]! & 0xffff);
  } else {
    cpu.push32(R[EBP]!);
    R[EBP] = R[ESP]!;
  }
  R[ESP] = ((R[ESP]! >>> 0) - bytes) >>> 0;
}

/** LEAVE: ESP = EBP, pop EBP. On a fault ESP is as it was. */
export function leave(cpu: Cpu, size: number): void {
  const R = cpu.R;
  const esp = R[ESP]!;
  R[ESP] = size === 2 ? (esp & ~0xffff) | (R[EBP]! & 0xffff) : R[EBP]!;
  try {
    if (size === 2) R[EBP] = (R[EBP]! & ~0xffff) | cpu.pop16();
    else R[EBP] = cpu.pop32();
  } catch (e) {
    R[ESP] = esp;
    throw e;
  }
}

/** POP: the destination address is formed after ESP moves, as on x86. On a fault ESP is as it was. */
export function pop(cpu: Cpu, d: DInstr): void {
  const R = cpu.R;
  const esp = R[ESP]!;
  const v = d.size === 2 ? cpu.pop16() : cpu.pop32();
  try {
    put(R, cpu.memory, d.a, loc(R, d.a), v);
  } catch (e) {
    R[ESP] = esp;
    throw e;
  }
}
