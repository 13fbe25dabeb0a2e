import type { DOperand } from "./decode.js";
import { MachineFault } from "./fault.js";
import type { Memory } from "./memory.js";

// Reading and writing decoded operands. Registers live in R (R[ZERO_REG] is always 0, so a
// missing base or index adds nothing). Case labels are the K_* operand kinds of decode.ts.

export function ea(R: Int32Array, o: DOperand): number {
  return (R[o.r]! + (R[o.x]! << o.s) + o.d) >>> 0;
}

/** The address of a memory operand, 0 for any other kind. */
export function loc(R: Int32Array, o: DOperand): number {
  return o.k >= 6 ? (R[o.r]! + (R[o.x]! << o.s) + o.d) >>> 0 : 0;
}

/** Operand value: int32 for 32-bit registers and memory and for immediates, unsigned for 8/16. */
export function get(R: Int32Array, mem: Memory, o: DOperand, addr: number): number {
  switch (o.k) {
    case 1: // K_R32
      return R[o.r]!;
    case 2: // K_R16
      return R[o.r]! & 0xffff;
    case 3: // K_R8L
      return R[o.r]! & 0xff;
    case 4: // K_R8H
      return (R[o.r]! >> 8) & 0xff;
    case 5: // K_IMM
      return o.d;
    case 6: // K_M8
      return mem.read8(addr);
    case 7: // K_M16
      return mem.read16(addr);
    case 8: // K_M32
      return mem.read32(addr);
    default:
      return missing();
  }
}

export function val(R: Int32Array, mem: Memory, o: DOperand): number {
  return get(R, mem, o, loc(R, o));
}

/** Store `v` (truncated to the operand's width) into a register or memory operand. */
export function put(R: Int32Array, mem: Memory, o: DOperand, addr: number, v: number): void {
  switch (o.k) {
    case 1: // K_R32
      R[o.r] = v;
      return;
    case 2: // K_R16
      R[o.r] = (R[o.r]! & ~0xffff) | (v & 0xffff);
      return;
    case 3: // K_R8L
      R[o.r] = (R[o.r]! & ~0xff) | (v & 0xff);
      return;
    case 4: // K_R8H
      R[o.r] = (R[o.r]! & ~0xff00) | ((v & 0xff) << 8);
      return;
    case 6: // K_M8
      mem.write8(addr, v);
      return;
    case 7: // K_M16
      mem.write16(addr, v);
      return;
    case 8: // K_M32
      mem.write32(addr, v);
      return;
    default:
      missing();
  }
}

export function missing(): never {
  throw new MachineFault("trap", "instruction is missing an operand or writes to an immediate");
}

