import { Reg, Rep } from "../ir/types.js";
import type { Cpu } from "./cpu.js";
import type { DInstr } from "./decode.js";
import { K_SUB, setArith } from "./flags.js";
import type { Memory } from "./memory.js";

const EAX = Reg.EAX,
  ECX = Reg.ECX,
  ESI = Reg.ESI,
  EDI = Reg.EDI;

function load(mem: Memory, addr: number, size: number): number {
  return size === 4 ? mem.read32(addr) : size === 2 ? mem.read16(addr) : mem.read8(addr);
}

function store(mem: Memory, addr: number, size: number, v: number): void {
  if (size === 4) mem.write32(addr, v);
  else if (size === 2) mem.write16(addr, v);
  else mem.write8(addr, v);
}

/** One element of LODS STOS MOVS CMPS SCAS (op is the Op code); `step` is ±size by DF. */
function once(cpu: Cpu, op: number, size: number, step: number): void {
  const R = cpu.R,
    mem = cpu.memory;
  const si = R[ESI]! >>> 0,
    di = R[EDI]! >>> 0;
  switch (op) {
    case 59: {
      // Op.LODS
      const v = load(mem, si, size);
      R[EAX] = size === 4 ? v : size === 2 ? (R[EAX]! & ~0xffff) | v : (R[EAX]! & ~0xff) | v;
      R[ESI] = si + step;
      return;
    }
    case 60: // Op.STOS
      store(mem, di, size, R[EAX]!);
      R[EDI] = di + step;
      return;
    case 61: // Op.MOVS
      store(mem, di, size, load(mem, si, size));
      R[ESI] = si + step;
      R[EDI] = di + step;
      return;
    case 62: {
      // Op.CMPS: compares [ESI] with [EDI] (flags of [ESI] - [EDI]).
      const x = load(mem, si, size),
        y = load(mem, di, size);
      setArith(cpu.flags, K_SUB, x, y, x - y, size);
      R[ESI] = si + step;
      R[EDI] = di + step;
      return;
    }
    default: {
      // Op.SCAS: compares the accumulator with [EDI].
      const a = R[EAX]!;
      const x = size === 4 ? a : size === 2 ? a & 0xffff : a & 0xff;
      const y = load(mem, di, size);
      setArith(cpu.flags, K_SUB, x, y, x - y, size);
      R[EDI] = di + step;
    }
  }
}

/**
 * A string instruction with its Rep prefix (32-bit addressing: ESI, EDI, ECX). Runs at most
 * `budget` repetitions; returns how many it ran and sets cpu.repPending if ECX is not used up
 * (the instruction then runs again from where it stopped, as after an interrupt on x86).
 */
export function stringOp(cpu: Cpu, d: DInstr, budget: number): number {
  const f = cpu.flags,
    R = cpu.R;
  const step = f.df ? -d.size : d.size;
  cpu.repPending = false;
  if (d.extra === Rep.NONE) {
    once(cpu, d.op, d.size, step);
    return 1;
  }
  // REP and REPE are one prefix byte (F3): with CMPS and SCAS it repeats while ZF = 1. With
  // the other three, REPE and REPNE act as REP.
  const compares = d.op === 62 || d.op === 63;
  const whileZ = compares && d.extra !== Rep.REPNE,
    whileNZ = compares && d.extra === Rep.REPNE;
  let n = 0;
  while (R[ECX] !== 0) {
    if (n >= budget) {
      cpu.repPending = true;
      return n;
    }
    once(cpu, d.op, d.size, step);
    R[ECX] = R[ECX]! - 1;
    n++;
    if ((whileZ && !f.zf()) || (whileNZ && f.zf())) break;
  }
  return n;
}
