// Abstract values and machine states for the analysis: what is known about each register, the
// segment registers, the carry flag, the last comparison and the stack at one instruction.

/** A register's abstract value. */
export type AbsVal =
  /** A known 32-bit value (unsigned). */
  | { readonly k: 0; readonly n: number }
  /** The value `base` had when the analysed root was entered (for "SP": this activation's entry ESP), plus `off`. */
  | { readonly k: 1; readonly base: string; readonly off: number }
  /** An event or time-out handle returned by the service call at instruction `site`. */
  | { readonly k: 2; readonly site: number }
  /** Whatever the dword at a fixed data address held when it was read. */
  | { readonly k: 3; readonly addr: number }
  /** Changed by the code to something not known. */
  | { readonly k: 4 }
  /** Not known because of something lint cannot see (an unresolved call): no finding may rest on it. */
  | { readonly k: 5 }
  /** Flags saved by PUSHFD. */
  | { readonly k: 6; readonly cf: number; readonly pending: readonly number[] };

export const K_CONST = 0;
export const K_SYM = 1;
export const K_HANDLE = 2;
export const K_LOAD = 3;
export const K_TOP = 4;
export const K_OPAQUE = 5;
export const K_FLAGS = 6;

/**
 * Every value is built here, with all fields, in one order: the objects share one shape, so the
 * analysis's hot reads of `k`, `n`, `base` … stay monomorphic (a union of six object shapes made
 * them megamorphic and the analysis several times slower before the JIT caught up).
 */
class Val {
  constructor(
    readonly k: number,
    readonly n: number,
    readonly base: string,
    readonly off: number,
    readonly site: number,
    readonly addr: number,
    readonly cf: number,
    readonly pending: readonly number[],
  ) {}
}

function mk(k: number, n = 0, base = "", off = 0, site = 0, addr = 0, cf = 0, pending: readonly number[] = NO_PENDING_VALUES): AbsVal {
  return new Val(k, n, base, off, site, addr, cf, pending) as unknown as AbsVal;
}

const NO_PENDING_VALUES: readonly number[] = [];

export const TOP: AbsVal = mk(K_TOP);
export const OPAQUE: AbsVal = mk(K_OPAQUE);

const SMALL: AbsVal[] = [];
for (let i = 0; i < 64; i++) SMALL.push(mk(K_CONST, i));

export function cnst(n: number): AbsVal {
  const u = n >>> 0;
  return u < 64 ? SMALL[u]! : mk(K_CONST, u);
}

/** ESP-relative values near the entry ESP, made once: every PUSH, POP, CALL and RET makes one. */
const SP_CACHE_RANGE = 4096;
// Made at full length and of the kind it holds: stores far past the end of an empty array make it a
// dictionary, and a list that changes kind throws away the code the JIT compiled for the other.
const SP_VALUES: (AbsVal | undefined)[] = new Array(2 * SP_CACHE_RANGE).fill(undefined);

export function sym(base: string, off = 0): AbsVal {
  const o = off | 0;
  if (base === "SP" && o >= -SP_CACHE_RANGE && o < SP_CACHE_RANGE) return (SP_VALUES[o + SP_CACHE_RANGE] ??= mk(K_SYM, 0, base, o));
  return mk(K_SYM, 0, base, o);
}

export function handle(site: number): AbsVal {
  return mk(K_HANDLE, 0, "", 0, site);
}

export function load(addr: number): AbsVal {
  return mk(K_LOAD, 0, "", 0, 0, addr);
}

export function savedFlags(cf: number, pending: readonly number[]): AbsVal {
  return mk(K_FLAGS, 0, "", 0, 0, 0, cf, pending);
}

export function eqVal(a: AbsVal, b: AbsVal): boolean {
  if (a === b) return true;
  if (a.k !== b.k) return false;
  switch (a.k) {
    case K_CONST:
      return a.n === (b as { n: number }).n;
    case K_SYM:
      return a.base === (b as { base: string }).base && a.off === (b as { off: number }).off;
    case K_HANDLE:
      return a.site === (b as { site: number }).site;
    case K_LOAD:
      return a.addr === (b as { addr: number }).addr;
    case K_FLAGS:
      return a.cf === (b as { cf: number }).cf && samePending(a.pending, (b as { pending: readonly number[] }).pending);
    default:
      return true;
  }
}

export function joinVal(a: AbsVal, b: AbsVal): AbsVal {
  if (eqVal(a, b)) return a;
  // Both read before either is tested: the JIT then has seen both reads whichever value came first.
  const ka = a.k;
  const kb = b.k;
  if (ka === K_OPAQUE || kb === K_OPAQUE) return OPAQUE;
  if (ka === K_FLAGS && kb === K_FLAGS) return savedFlags(a.cf | b.cf, unionPending(a.pending, b.pending));
  return TOP;
}

export function isConst(v: AbsVal): v is { readonly k: 0; readonly n: number } {
  return v.k === K_CONST;
}

export const NO_PENDING: readonly number[] = [];

export function samePending(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function unionPending(a: readonly number[], b: readonly number[]): readonly number[] {
  if (a.length === 0) return b;
  if (b.length === 0 || samePending(a, b)) return a;
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

/** CF bits: known 0 on some path, known 1 on some path, not known on some path. */
export const CF0 = 1;
export const CF1 = 2;
export const CFU = 4;
/** Not known. */
export const CF_ANY = CFU;

export type FlagsKind = "sub" | "logic" | "result";

/**
 * What the flags say after the last instruction that set them, for deciding branches. One class,
 * so that every flags source has the same shape (object literals and spreads made several).
 */
export class FlagsSource {
  constructor(
    /** "sub": CMP/SUB a, b. "logic": the result `a` of AND/OR/XOR/TEST (CF = OF = 0). "result": ZF/SF of `a` only. */
    readonly kind: FlagsKind,
    readonly a: AbsVal,
    readonly b: AbsVal,
    readonly size: 1 | 2 | 4,
    /** Register compared (full register), so that an equal branch can refine it; -1 if none. */
    readonly aReg: number,
  ) {}

  /** The same comparison, no longer about a register. */
  withoutRegister(): FlagsSource {
    return new FlagsSource(this.kind, this.a, this.b, this.size, -1);
  }
}

/**
 * The flags say only whether `a` (the result of the last instruction) is zero or negative; with
 * `logic` (AND, OR, XOR, TEST) CF = OF = 0 too. One function for both, so that the ALU's compiled
 * code has one call here whichever operation it meets first.
 */
export function resultFlags(a: AbsVal, size: number, logic = false): FlagsSource {
  const kind = logic ? "logic" : "result";
  const k = sharedFlagsIndex(a, size);
  if (k < 0) return new FlagsSource(kind, a, TOP, size as 1 | 2 | 4, -1);
  const shared = logic ? SHARED_LOGIC_FLAGS : SHARED_RESULT_FLAGS;
  return (shared[k] ??= new FlagsSource(kind, a, TOP, size as 1 | 2 | 4, -1));
}

// Flags sources are immutable: those about a value made once (TOP, OPAQUE, a small constant) are
// made once too, by value and operand size.
// Made at full length, of the kind they hold (see SP_VALUES).
const SHARED_RESULT_FLAGS: (FlagsSource | undefined)[] = new Array((2 + SMALL.length) * 5).fill(undefined);
const SHARED_LOGIC_FLAGS: (FlagsSource | undefined)[] = new Array((2 + SMALL.length) * 5).fill(undefined);

/** Where the shared flags source about `a` is kept, or -1 when `a` is not a value made once. */
function sharedFlagsIndex(a: AbsVal, size: number): number {
  const slot = a === TOP ? 0 : a === OPAQUE ? 1 : a.k === K_CONST && a.n < SMALL.length && a === SMALL[a.n] ? 2 + a.n : -1;
  return slot < 0 ? -1 : slot * 5 + size;
}

export const SEGS = ["ES", "CS", "SS", "DS", "FS", "GS"] as const;
export const REGS = ["EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI"] as const;
export const ESP = 4;

/** No stack slots: shared by the states that start without any (copied on their first write). */
export const NO_SLOTS: ReadonlyMap<number, AbsVal> = new Map();

/**
 * The machine state at one instruction. The register and segment-register arrays are shared
 * copy-on-write: with clones (every branch makes one) and with the facts that record them, so
 * they are copied only when one of the holders writes (through setReg / setSeg) after sharing.
 */
export class State {
  /** Read freely; write only through setReg. */
  regs: readonly AbsVal[];
  /** Read freely; write only through setSeg. */
  segs: readonly AbsVal[];
  /** CF0 | CF1 | CFU bits. */
  cf: number;
  /** Ids of carry results not yet tested (a send's instruction index, or a time-out callback's entry id). */
  pending: readonly number[];
  /** Direction flag: CF0-style bits (1 = may be clear, 2 = may be set). */
  df: number;
  flags: FlagsSource | null;
  /** Stack slots by offset from this activation's entry ESP (shared with clones until written: see setSlot). */
  slots: Map<number, AbsVal>;
  private ownSlots: boolean;
  private ownRegs: boolean;
  private ownSegs: boolean;
  /** Registers (bit per REGS index) written on every path since the root was entered. */
  written: number;
  /** Instruction that loaded ECX with a value nothing has read yet, or -1. */
  ecxDef: number;

  /** `regs`, `segs` and `slots` (unless NO_SLOTS) become this state's own: nobody else may hold them. */
  constructor(regs: AbsVal[], segs: AbsVal[], cf: number, pending: readonly number[], df: number, flags: FlagsSource | null, slots: ReadonlyMap<number, AbsVal>, written: number, ecxDef: number) {
    this.regs = regs;
    this.segs = segs;
    this.cf = cf;
    this.pending = pending;
    this.df = df;
    this.flags = flags;
    this.slots = slots as Map<number, AbsVal>;
    this.ownSlots = slots !== NO_SLOTS;
    this.ownRegs = true;
    this.ownSegs = true;
    this.written = written;
    this.ecxDef = ecxDef;
  }

  /** A copy; registers, stack slots and the flags source are shared until one of the two writes them. */
  clone(): State {
    const c = new State(this.shareRegs() as AbsVal[], this.shareSegs() as AbsVal[], this.cf, this.pending, this.df, this.flags, this.slots, this.written, this.ecxDef);
    c.ownRegs = false;
    c.ownSegs = false;
    c.ownSlots = false;
    this.ownSlots = false;
    return c;
  }

  /** The registers as they are now, to keep (a fact): shared until this state writes one. */
  shareRegs(): readonly AbsVal[] {
    this.ownRegs = false;
    return this.regs;
  }

  shareSegs(): readonly AbsVal[] {
    this.ownSegs = false;
    return this.segs;
  }

  /** Take the registers and segment registers of `o` (shared with it until one writes). */
  adoptRegisters(o: State): void {
    this.regs = o.shareRegs();
    this.segs = o.shareSegs();
    this.ownRegs = false;
    this.ownSegs = false;
  }

  setReg(r: number, v: AbsVal): void {
    if (!this.ownRegs) {
      this.regs = this.regs.slice();
      this.ownRegs = true;
    }
    (this.regs as AbsVal[])[r] = v;
  }

  setSeg(k: number, v: AbsVal): void {
    if (!this.ownSegs) {
      this.segs = this.segs.slice();
      this.ownSegs = true;
    }
    (this.segs as AbsVal[])[k] = v;
  }

  /** Use `slots` (someone else's) until a write: copied then. */
  adoptSlots(slots: ReadonlyMap<number, AbsVal>): void {
    this.slots = slots as Map<number, AbsVal>;
    this.ownSlots = false;
  }

  setSlot(offset: number, v: AbsVal): void {
    if (!this.ownSlots) {
      this.slots = new Map(this.slots);
      this.ownSlots = true;
    }
    this.slots.set(offset, v);
  }

  /** The comparison behind the flags no longer tells about register `r` (it was written). */
  forgetCompared(r: number): void {
    if (this.flags && this.flags.aReg === r) this.flags = this.flags.withoutRegister();
  }

  /** The join of two states at a merge point. */
  static join(a: State, b: State): State {
    const regs = joinVals(a.regs, b.regs);
    const segs = joinVals(a.segs, b.segs);
    // The same slots on both sides (shared since a clone) stay shared: copied on the first write.
    const sameSlots = a.slots === b.slots;
    const slots = sameSlots ? a.slots : joinSlots(a.slots, b.slots);
    let flags: FlagsSource | null = null;
    if (a.flags && b.flags && a.flags.kind === b.flags.kind && eqVal(a.flags.a, b.flags.a) && eqVal(a.flags.b, b.flags.b) && a.flags.size === b.flags.size) {
      flags = a.flags.aReg === b.flags.aReg ? a.flags : a.flags.withoutRegister();
    }
    const j = new State(regs ?? (a.shareRegs() as AbsVal[]), segs ?? (a.shareSegs() as AbsVal[]), a.cf | b.cf, unionPending(a.pending, b.pending), a.df | b.df, flags, slots, a.written & b.written, a.ecxDef === b.ecxDef ? a.ecxDef : -1);
    j.ownRegs = regs !== null;
    j.ownSegs = segs !== null;
    if (sameSlots) {
      a.ownSlots = false;
      b.ownSlots = false;
      j.ownSlots = false;
    }
    return j;
  }

  equals(o: State): boolean {
    if (this.cf !== o.cf || this.df !== o.df || this.written !== o.written || this.ecxDef !== o.ecxDef) return false;
    if (!samePending(this.pending, o.pending)) return false;
    if (!sameVals(this.regs, o.regs) || !sameVals(this.segs, o.segs)) return false;
    if (this.slots !== o.slots) {
      if (this.slots.size !== o.slots.size) return false;
      for (const [k, v] of this.slots) {
        const w = o.slots.get(k);
        if (!w || !eqVal(v, w)) return false;
      }
    }
    const f = this.flags;
    const g = o.flags;
    if (!f || !g) return f === g;
    return f.kind === g.kind && eqVal(f.a, g.a) && eqVal(f.b, g.b) && f.size === g.size && f.aReg === g.aReg;
  }
}

export function sameVals(a: readonly AbsVal[], b: readonly AbsVal[]): boolean {
  if (a === b) return true;
  for (let i = 0; i < a.length; i++) if (!eqVal(a[i]!, b[i]!)) return false;
  return true;
}

/** The stack slots both maps hold, with their values joined. */
function joinSlots(a: Map<number, AbsVal>, b: Map<number, AbsVal>): ReadonlyMap<number, AbsVal> {
  if (a.size === 0 || b.size === 0) return NO_SLOTS;
  const out = new Map<number, AbsVal>();
  for (const k of a.keys()) {
    const w = b.get(k);
    if (w) out.set(k, joinVal(a.get(k)!, w));
  }
  return out;
}

/** The values of `a` joined with those of `b`, or null when that is `a` itself. */
function joinVals(a: readonly AbsVal[], b: readonly AbsVal[]): AbsVal[] | null {
  if (a === b) return null;
  let out: AbsVal[] | null = null;
  for (let i = 0; i < a.length; i++) {
    const v = joinVal(a[i]!, b[i]!);
    if (v === a[i]) continue;
    // A copy keeps the array packed (Array.prototype.map's arrays are holey: another shape).
    out ??= a.slice();
    out[i] = v;
  }
  return out;
}
