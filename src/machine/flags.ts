/**
 * Lazy status flags. An arithmetic instruction records what it did (a kind, its operands and its
 * result, all sign-extended from the operation width to int32, so one formula serves 8, 16 and
 * 32 bits); CF PF AF ZF SF OF are worked out only when something reads them. Instructions that
 * change only some flags first materialise all six into `bits` (kind EFLAGS). DF and IF are
 * plain booleans.
 *
 * Values the Intel manual leaves undefined are chosen deterministically, mostly as QEMU (the
 * oracle) computes them; each choice is named where the instruction is executed (execute.ts):
 * AF = 0 after logic ops, shifts, mul/imul and bsf/bsr; CF = OF = AF = 0 and SZP from the
 * source after bsf/bsr; SZP from the low half of the product after mul/imul; flags unchanged
 * after div/idiv and (apart from CF) after bt*; OF of multi-bit shifts and rotates by the
 * one-bit formula; see also the shift and shld/shrd notes there.
 */
export const K_ADD = 0; // add adc xadd: a + b (+ carry) = res
export const K_SUB = 1; // sub sbb cmp neg cmpxchg cmps scas: a - b (- borrow) = res
export const K_LOGIC = 2; // and or xor test: CF = OF = AF = 0
export const K_INC = 3; // like K_ADD with b = 1, CF kept in `carry`
export const K_DEC = 4; // like K_SUB with b = 1, CF kept in `carry`
export const K_RESULT = 5; // SZP from res, AF = 0, CF and OF given (0/1) in `carry` and `over`
export const K_EFLAGS = 6; // all six in `bits`

export const CF = 0x1;
export const PF = 0x4;
export const AF = 0x10;
export const ZF = 0x40;
export const SF = 0x80;
export const IF = 0x200;
export const DF = 0x400;
export const OF = 0x800;
export const STATUS_MASK = CF | PF | AF | ZF | SF | OF;

/** PARITY[b] is 1 when byte b has an even number of set bits (x86 PF). */
export const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let n = 0;
  for (let b = i; b !== 0; b &= b - 1) n++;
  PARITY[i] = (n & 1) === 0 ? 1 : 0;
}

export type FlagName = "cf" | "pf" | "af" | "zf" | "sf" | "of" | "df" | "if";

export class Flags {
  kind: number = K_EFLAGS;
  res = 0;
  a = 0;
  b = 0;
  carry = 0;
  over = 0;
  bits = 0;
  df = false;
  intf = false;

  cf(): boolean {
    const a = this.a,
      b = this.b,
      r = this.res;
    switch (this.kind) {
      case K_ADD:
        return ((a & b) | ((a | b) & ~r)) < 0;
      case K_SUB:
        return ((~a & b) | (~(a ^ b) & r)) < 0;
      case K_LOGIC:
        return false;
      case K_EFLAGS:
        return (this.bits & CF) !== 0;
      default:
        return this.carry !== 0;
    }
  }

  pf(): boolean {
    return this.kind === K_EFLAGS ? (this.bits & PF) !== 0 : PARITY[this.res & 0xff] === 1;
  }

  af(): boolean {
    switch (this.kind) {
      case K_ADD:
      case K_SUB:
      case K_INC:
      case K_DEC:
        return ((this.a ^ this.b ^ this.res) & 0x10) !== 0;
      case K_EFLAGS:
        return (this.bits & AF) !== 0;
      default:
        return false;
    }
  }

  zf(): boolean {
    return this.kind === K_EFLAGS ? (this.bits & ZF) !== 0 : this.res === 0;
  }

  sf(): boolean {
    return this.kind === K_EFLAGS ? (this.bits & SF) !== 0 : this.res < 0;
  }

  of(): boolean {
    const a = this.a,
      b = this.b,
      r = this.res;
    switch (this.kind) {
      case K_ADD:
      case K_INC:
        return ((a ^ r) & (b ^ r)) < 0;
      case K_SUB:
      case K_DEC:
        return ((a ^ b) & (a ^ r)) < 0;
      case K_LOGIC:
        return false;
      case K_EFLAGS:
        return (this.bits & OF) !== 0;
      default:
        return this.over !== 0;
    }
  }

  /** CF as 0 or 1. */
  carryBit(): number {
    return this.cf() ? 1 : 0;
  }

  /** The six status flags at their EFLAGS positions. */
  status(): number {
    if (this.kind === K_EFLAGS) return this.bits;
    return (
      (this.cf() ? CF : 0) |
      (this.pf() ? PF : 0) |
      (this.af() ? AF : 0) |
      (this.zf() ? ZF : 0) |
      (this.sf() ? SF : 0) |
      (this.of() ? OF : 0)
    );
  }

  /** Replace the six status flags. */
  setStatus(bits: number): void {
    this.bits = bits & STATUS_MASK;
    this.kind = K_EFLAGS;
  }

  /** Change some status flags, keeping the others. */
  update(mask: number, bits: number): void {
    this.bits = (this.status() & ~mask) | (bits & mask);
    this.kind = K_EFLAGS;
  }

  getEflags(): number {
    return 2 | this.status() | (this.intf ? IF : 0) | (this.df ? DF : 0);
  }

  /** Only CF PF AF ZF SF OF DF IF are taken from `v`; bit 1 is always set. */
  setEflags(v: number): void {
    this.setStatus(v);
    this.df = (v & DF) !== 0;
    this.intf = (v & IF) !== 0;
  }

  get(name: FlagName): boolean {
    switch (name) {
      case "cf":
        return this.cf();
      case "pf":
        return this.pf();
      case "af":
        return this.af();
      case "zf":
        return this.zf();
      case "sf":
        return this.sf();
      case "of":
        return this.of();
      case "df":
        return this.df;
      case "if":
        return this.intf;
    }
  }

  set(name: FlagName, on: boolean): void {
    if (name === "df") this.df = on;
    else if (name === "if") this.intf = on;
    else this.update(FLAG_BITS[name], on ? STATUS_MASK : 0);
  }

  /** Whether condition code `cc` (Cond) holds. Literal labels: see execute.ts. */
  cond(cc: number): boolean {
    switch (cc) {
      case 0: // Cond.O
        return this.of();
      case 1: // Cond.NO
        return !this.of();
      case 2: // Cond.B
        return this.cf();
      case 3: // Cond.AE
        return !this.cf();
      case 4: // Cond.E
        return this.zf();
      case 5: // Cond.NE
        return !this.zf();
      case 6: // Cond.BE
        return this.cf() || this.zf();
      case 7: // Cond.A
        return !(this.cf() || this.zf());
      case 8: // Cond.S
        return this.sf();
      case 9: // Cond.NS
        return !this.sf();
      case 10: // Cond.P
        return this.pf();
      case 11: // Cond.NP
        return !this.pf();
      case 12: // Cond.L
        return this.sf() !== this.of();
      case 13: // Cond.GE
        return this.sf() === this.of();
      case 14: // Cond.LE
        return this.zf() || this.sf() !== this.of();
      default: // Cond.G
        return !this.zf() && this.sf() === this.of();
    }
  }
}

/** Record an add- or subtract-like result; a, b and r are sign-extended from `size` bytes. */
export function setArith(f: Flags, kind: number, a: number, b: number, r: number, size: number): void {
  if (size === 4) {
    f.a = a | 0;
    f.b = b | 0;
    f.res = r | 0;
  } else {
    const sh = size === 2 ? 16 : 24;
    f.a = (a << sh) >> sh;
    f.b = (b << sh) >> sh;
    f.res = (r << sh) >> sh;
  }
  f.kind = kind;
}

const FLAG_BITS: Record<"cf" | "pf" | "af" | "zf" | "sf" | "of", number> = { cf: CF, pf: PF, af: AF, zf: ZF, sf: SF, of: OF };
