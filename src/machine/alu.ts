import { Op, Reg } from "../ir/types.js";
import { MachineFault } from "./fault.js";
import { CF, K_RESULT, OF } from "./flags.js";
import type { Flags } from "./flags.js";

// Shifts, rotates, multiply and divide: the instructions whose results and flags take more than
// a line. Values come in as read (int32 for 32-bit operands, unsigned for 8/16-bit ones) and
// results go out untruncated; the caller's operand write truncates them.

/** `v` sign-extended from `size` bytes to int32. */
export function sx(v: number, size: number): number {
  return size === 4 ? v | 0 : size === 2 ? (v << 16) >> 16 : (v << 24) >> 24;
}

/** SZP from `r`, AF = 0, CF and OF as given. */
export function setResult(f: Flags, r: number, size: number, cf: number, of: number): void {
  f.res = sx(r, size);
  f.carry = cf;
  f.over = of;
  f.kind = K_RESULT;
}

const MASK = [0, 0xff, 0xffff, 0, -1];

/**
 * SHL SHR SAR ROL ROR RCL RCR of `v` by the masked count `n` (0..31) at `size` bytes.
 * A masked count of 0 changes nothing, flags included.
 */
export function shift(f: Flags, op: number, v: number, n: number, size: number): number {
  if (n === 0) return v;
  const w = size * 8;
  const mask = MASK[size]!;
  let r: number, cf: number;
  switch (op) {
    case Op.SHL: {
      // For 8/16 bits and n >= w the manual leaves CF undefined; like QEMU we take the last bit
      // shifted out of the zero-extended value (so 0 once n > w).
      v &= mask;
      r = (v << n) & mask;
      cf = n <= w ? (v >>> (w - n)) & 1 : 0;
      // OF is defined only for n = 1 (MSB(result) XOR CF); for n > 1 we use the same formula
      // (QEMU). AF is undefined: 0 (QEMU). Same choices for SHR, SAR, SHLD and SHRD.
      setResult(f, r, size, cf, ((r >>> (w - 1)) & 1) ^ cf);
      return r;
    }
    case Op.SHR:
      v = size === 4 ? v >>> 0 : v & mask;
      r = v >>> n;
      cf = (v >>> (n - 1)) & 1;
      setResult(f, r, size, cf, ((r >>> (w - 1)) ^ (r >>> (w - 2))) & 1);
      return r;
    case Op.SAR:
      v = sx(v, size);
      r = v >> n;
      setResult(f, r, size, (v >> (n - 1)) & 1, 0);
      return r;
    case Op.ROL:
    case Op.ROR: {
      // Only CF and OF change. OF is undefined for n > 1: we use the one-bit formula (QEMU).
      v = size === 4 ? v >>> 0 : v & mask;
      const e = n & (w - 1);
      if (op === Op.ROL) {
        r = e === 0 ? v : ((v << e) | (v >>> (w - e))) & mask;
        cf = r & 1;
        f.update(CF | OF, cf | ((((r >>> (w - 1)) & 1) ^ cf) << 11));
      } else {
        r = e === 0 ? v : ((v >>> e) | (v << (w - e))) & mask;
        cf = (r >>> (w - 1)) & 1;
        f.update(CF | OF, cf | ((cf ^ ((r >>> (w - 2)) & 1)) << 11));
      }
      return r;
    }
    default: {
      // RCL / RCR rotate w+1 bits through CF. At 8/16 bits a count that is a multiple of w+1
      // rotates nothing: CF is kept, OF (undefined) is kept too (QEMU). OF for n > 1 is
      // undefined: MSB(source) XOR MSB(result), which is the defined value for n = 1.
      const e = size === 4 ? n : n % (w + 1);
      if (e === 0) return v;
      v = size === 4 ? v >>> 0 : v & mask;
      const c = f.carryBit();
      if (op === Op.RCL) {
        r = ((v << e) | (c << (e - 1)) | (e > 1 ? v >>> (w + 1 - e) : 0)) & mask;
        cf = (v >>> (w - e)) & 1;
      } else {
        r = ((v >>> e) | (c << (w - e)) | (e > 1 ? v << (w + 1 - e) : 0)) & mask;
        cf = (v >>> (e - 1)) & 1;
      }
      f.update(CF | OF, cf | ((((v ^ r) >>> (w - 1)) & 1) << 11));
      return r;
    }
  }
}

const POW2 = new Float64Array(64);
for (let i = 0; i < 64; i++) POW2[i] = 2 ** i;

/**
 * SHLD (left) / SHRD of `dst` with bits from `src` by the masked count `n` (0..31). For 16-bit
 * operands with n > 16 the manual leaves result and flags undefined; we shift the 48-bit
 * string dst:src:dst as QEMU ("Intel behaviour") does, so the same formulas apply.
 */
export function shiftDouble(f: Flags, left: boolean, dst: number, src: number, n: number, size: number): number {
  if (n === 0) return dst;
  let r: number, cf: number;
  if (size === 4) {
    if (left) {
      r = (dst << n) | (src >>> (32 - n));
      cf = (dst >>> (32 - n)) & 1;
    } else {
      r = (dst >>> n) | (src << (32 - n));
      cf = (dst >>> (n - 1)) & 1;
    }
  } else {
    dst &= 0xffff;
    const x = dst * POW2[32]! + (src & 0xffff) * POW2[16]! + dst;
    if (left) {
      r = Math.floor(x / POW2[32 - n]!) % 0x10000;
      cf = Math.floor(x / POW2[48 - n]!) % 2;
    } else {
      r = Math.floor(x / POW2[n]!) % 0x10000;
      cf = Math.floor(x / POW2[n - 1]!) % 2;
    }
  }
  const w = size * 8;
  const of = left ? ((r >>> (w - 1)) & 1) ^ cf : ((r >>> (w - 1)) ^ (r >>> (w - 2))) & 1;
  setResult(f, r, size, cf, of);
  return r;
}

/** High 32 bits of the unsigned product of two uint32 values. */
export function mulHighU(a: number, b: number): number {
  const al = a & 0xffff,
    ah = a >>> 16,
    bl = b & 0xffff,
    bh = b >>> 16;
  const lh = al * bh,
    hl = ah * bl;
  const mid = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + Math.floor(lh / 0x10000) + Math.floor(hl / 0x10000) + Math.floor(mid / 0x10000)) >>> 0;
}

/** High 32 bits (int32) of the signed product of two int32 values. */
export function mulHighS(a: number, b: number): number {
  let h = mulHighU(a >>> 0, b >>> 0);
  if (a < 0) h -= b;
  if (b < 0) h -= a;
  return h | 0;
}

// MUL and IMUL set CF = OF = (the high half is significant / the product was truncated).
// SF ZF PF AF are undefined: as QEMU, SZP follow the low half of the product (AL, AX or EAX;
// the destination for the two- and three-operand forms) and AF = 0.

export function mul(R: Int32Array, f: Flags, v: number, size: number): void {
  const a = R[Reg.EAX]!;
  if (size === 1) {
    const p = (a & 0xff) * (v & 0xff);
    R[Reg.EAX] = (a & ~0xffff) | p;
    const hi = p > 0xff ? 1 : 0;
    setResult(f, p, 1, hi, hi);
  } else if (size === 2) {
    const p = (a & 0xffff) * (v & 0xffff);
    R[Reg.EAX] = (a & ~0xffff) | (p & 0xffff);
    R[Reg.EDX] = (R[Reg.EDX]! & ~0xffff) | (p >>> 16);
    const hi = p > 0xffff ? 1 : 0;
    setResult(f, p, 2, hi, hi);
  } else {
    const lo = Math.imul(a, v);
    const high = mulHighU(a >>> 0, v >>> 0);
    R[Reg.EAX] = lo;
    R[Reg.EDX] = high;
    const hi = high !== 0 ? 1 : 0;
    setResult(f, lo, 4, hi, hi);
  }
}

export function imul1(R: Int32Array, f: Flags, v: number, size: number): void {
  const a = R[Reg.EAX]!;
  if (size === 1) {
    const p = sx(a, 1) * sx(v, 1);
    R[Reg.EAX] = (a & ~0xffff) | (p & 0xffff);
    const t = p !== sx(p, 1) ? 1 : 0;
    setResult(f, p, 1, t, t);
  } else if (size === 2) {
    const p = sx(a, 2) * sx(v, 2);
    R[Reg.EAX] = (a & ~0xffff) | (p & 0xffff);
    R[Reg.EDX] = (R[Reg.EDX]! & ~0xffff) | ((p >>> 16) & 0xffff);
    const t = p !== sx(p, 2) ? 1 : 0;
    setResult(f, p, 2, t, t);
  } else {
    const lo = Math.imul(a, v);
    const high = mulHighS(a, v | 0);
    R[Reg.EAX] = lo;
    R[Reg.EDX] = high;
    const t = high !== lo >> 31 ? 1 : 0;
    setResult(f, lo, 4, t, t);
  }
}

/** Two- and three-operand IMUL: the truncated product of x and y; CF = OF = truncation. */
export function imulTrunc(f: Flags, x: number, y: number, size: number): number {
  let r: number, t: number;
  if (size === 4) {
    r = Math.imul(x, y);
    t = (x | 0) * (y | 0) !== r ? 1 : 0;
  } else {
    const p = sx(x, size) * sx(y, size);
    r = sx(p, size);
    t = p !== r ? 1 : 0;
  }
  setResult(f, r, size, t, t);
  return r;
}

function divideError(what: string): never {
  throw new MachineFault("divide", `divide error: ${what}`);
}

/** DIV / IDIV. The flags are undefined afterwards: we leave them unchanged (QEMU). */
export function divide(R: Int32Array, v: number, size: number, signed: boolean): void {
  const eax = R[Reg.EAX]!,
    edx = R[Reg.EDX]!;
  if (size === 1) {
    const d = signed ? sx(v, 1) : v & 0xff;
    if (d === 0) divideError("division by zero");
    const n = signed ? sx(eax, 2) : eax & 0xffff;
    const q = Math.trunc(n / d);
    if (signed ? q < -0x80 || q > 0x7f : q > 0xff) divideError("quotient too large");
    const r = n - q * d;
    R[Reg.EAX] = (eax & ~0xffff) | ((r & 0xff) << 8) | (q & 0xff);
  } else if (size === 2) {
    const d = signed ? sx(v, 2) : v & 0xffff;
    if (d === 0) divideError("division by zero");
    const n = signed ? (edx << 16) | (eax & 0xffff) : (((edx & 0xffff) << 16) | (eax & 0xffff)) >>> 0;
    const q = Math.trunc(n / d);
    if (signed ? q < -0x8000 || q > 0x7fff : q > 0xffff) divideError("quotient too large");
    const r = n - q * d;
    R[Reg.EAX] = (eax & ~0xffff) | (q & 0xffff);
    R[Reg.EDX] = (edx & ~0xffff) | (r & 0xffff);
  } else {
    let hi = edx >>> 0,
      lo = eax >>> 0,
      d = v >>> 0;
    const negN = signed && edx < 0;
    const negD = signed && (v | 0) < 0;
    if (negN) {
      lo = (~lo + 1) >>> 0;
      hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
    }
    if (negD) d = -(v | 0) >>> 0;
    if (d === 0) divideError("division by zero");
    if (hi >= d) divideError("quotient too large");
    let x = hi * 0x10000 + (lo >>> 16);
    const q1 = Math.floor(x / d);
    x = (x - q1 * d) * 0x10000 + (lo & 0xffff);
    const q0 = Math.floor(x / d);
    const q = q1 * 0x10000 + q0;
    const r = x - q0 * d;
    if (signed) {
      const neg = negN !== negD;
      if (neg ? q > 0x80000000 : q > 0x7fffffff) divideError("quotient too large");
      R[Reg.EAX] = neg ? -q : q;
      R[Reg.EDX] = negN ? -r : r;
    } else {
      R[Reg.EAX] = q;
      R[Reg.EDX] = r;
    }
  }
}
