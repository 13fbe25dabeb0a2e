// The analysis: runs the program abstractly from every root the VMM may enter it by — a device's
// control procedure once per message (EAX known, so dispatch branches and jump tables resolve),
// the callbacks found handed to event and time-out services, hardware-interrupt procedures,
// ASYNC_SERVICE procedures, and every other procedure and top-level run — with constant
// propagation through MOV, equates, XOR r,r, register copies, the stack and simple arithmetic.
// Calls are followed into the callee with the caller's state (memoised per entry state), so a
// helper is seen in the context of each root that reaches it. What the rules need is recorded as
// facts: service calls with their registers, returns, carry results lost untested, stores, the
// callbacks and their kinds, notable instructions (STI, CMP …) with their context.
import { Op, Cond, Reg, type Instr, type MemOperand, type Operand, type RegOperand } from "../ir/types.js";
import { registerByName, SEGMENT_REGISTERS } from "../front/registers.js";
import type { Expr } from "../front/ast.js";
import { UNKNOWN_SERVICE_ID } from "../front/vxd-macros.js";
import { serviceById, serviceByName, type ServiceInfo } from "../vmm/tables/services.js";
import { MESSAGES, isPrivateMessage } from "../vmm/tables/messages.js";
import { callbackService, interruptTimeFields, neverReturns, PEF_TIME_OUT, sendCanFail, type CallbackService } from "./facts.js";
import { isBranch, leaders } from "./cfg.js";
import type { CallEdge, LintDevice, LintProgram } from "./program.js";
import {
  CF0,
  CF1,
  CF_ANY,
  cnst,
  eqVal,
  samePending,
  ESP,
  isConst,
  K_CONST,
  K_FLAGS,
  K_OPAQUE,
  K_SYM,
  NO_PENDING,
  OPAQUE,
  REGS,
  SEGS,
  State,
  handle,
  load,
  savedFlags,
  sym,
  TOP,
  type AbsVal,
} from "./values.js";

export type CtxKind = "message" | "event" | "priority-event" | "time-out" | "async-time-out" | "other-callback" | "hw-int" | "async-service" | "procedure";

/** One root the analysis ran from, and what the code is doing there. */
export interface Ctx {
  readonly id: number;
  readonly kind: CtxKind;
  /** Instruction the root starts at. */
  readonly root: number;
  readonly device: LintDevice | null;
  /** The System_Control message being handled (kind "message"). */
  readonly message: number | null;
  /** The code runs at hardware-interrupt time (only asynchronous services). */
  readonly interruptTime: boolean;
  /** CF on entry says whether a PEF_Time_Out time-out expired. */
  readonly timed: boolean;
  /** The instruction that scheduled this callback (or -1). */
  readonly origin: number;
  /** The scheduling service, or the structure field that installed the procedure. */
  readonly via: string;
}

export interface ServiceCallFact {
  readonly index: number;
  readonly name: string;
  readonly service: ServiceInfo | null;
  readonly jump: boolean;
  readonly ctx: Ctx;
  /** Registers just before the call. */
  readonly regs: readonly AbsVal[];
  readonly written: number;
  readonly ecxDef: number;
}

export interface ReturnFact {
  readonly index: number;
  readonly ctx: Ctx;
  /** The return leaves the root itself (not a procedure it called). */
  readonly rootFrame: boolean;
  readonly regs: readonly AbsVal[];
  readonly segs: readonly AbsVal[];
  readonly cf: number;
  readonly df: number;
}

export interface CarryLossFact {
  /** A send's instruction index, or −(ctx.id + 2) for a time-out callback's entry carry. */
  readonly id: number;
  readonly at: number;
  readonly ctx: Ctx;
}

export interface NotableFact {
  readonly index: number;
  readonly ctx: Ctx;
  readonly regs: readonly AbsVal[];
}

export interface StoreFact {
  readonly index: number;
  readonly addr: number;
  readonly value: AbsVal;
  readonly ctx: Ctx;
}

export interface CallbackFact {
  readonly site: number;
  readonly service: CallbackService;
  readonly entry: number;
  readonly ctx: Ctx;
  readonly eax: AbsVal;
  readonly ecx: AbsVal;
}

export interface SegWriteFact {
  readonly index: number;
  readonly seg: string;
  readonly value: AbsVal;
  readonly ctx: Ctx;
}

export interface AnalysisFacts {
  readonly ctxs: Ctx[];
  readonly serviceCalls: ServiceCallFact[];
  readonly returns: ReturnFact[];
  readonly carryLosses: CarryLossFact[];
  readonly notable: NotableFact[];
  readonly stores: StoreFact[];
  readonly callbacks: CallbackFact[];
  readonly segWrites: SegWriteFact[];
  readonly unresolvedJumps: { readonly index: number; readonly ctx: Ctx }[];
  readonly callbackEdges: CallEdge[];
  /** Calls and jumps into procedures, per context, as the analysis followed them. */
  readonly calls: { readonly site: number; readonly target: number; readonly ctx: Ctx; readonly tail: boolean }[];
  /** Instruction indices the analysis reached at all. */
  readonly reached: Uint8Array;
  /** Instructions interpreted from the source because the IR could not express them (segment registers). */
  readonly interpreted: Set<number>;
}

interface Activation {
  /** The state it was entered with. */
  readonly entry: State;
  exit: State | null;
  inProgress: boolean;
  observed: boolean;
}

const EAX = Reg.EAX;
const ECX = Reg.ECX;
const EBP = Reg.EBP;
const ALL_WRITTEN = 0xff;
/** Bound on the different entry states one procedure is analysed with per root before they are merged. */
const MAX_VARIANTS = 6;
/** Bound on instruction steps of one activation's fixpoint (a safety net; real code stays far below). */
const MAX_STEPS = 200_000;

/** The registers' and segment registers' values on entry to a root (shared: values are immutable). */
const ENTRY_REGS: readonly AbsVal[] = REGS.map((r, i) => (i === Reg.ESP ? sym("SP", 0) : sym(r, 0)));
const ENTRY_SEGS: readonly AbsVal[] = SEGS.map((s) => sym(s, 0));

const NOTABLE = new Set<number>([Op.STI, Op.CLI, Op.CMP, Op.TEST, Op.INT, Op.STD, Op.CLD]);

export function analyse(program: LintProgram): AnalysisFacts {
  return new Analyzer(program).run();
}

class Analyzer {
  private readonly instrs: readonly Instr[];
  private readonly lead: Uint8Array;
  /** Entry instruction → (context id × 2 + root frame) → its activations. */
  private readonly memo = new Map<number, Map<number, { list: Activation[]; widened: State | null }>>();
  private readonly facts: AnalysisFacts;
  private readonly rootKeys = new Set<string>();
  private readonly edgeKeys = new Set<string>();
  private readonly queue: Ctx[] = [];
  private readonly data: { base: number; view: DataView };
  private segInstrs = new Map<number, { op: "mov" | "push" | "pop" | "read"; seg: string; other: Operand | null; src: string | null }>();

  constructor(private readonly p: LintProgram) {
    this.instrs = p.instrs;
    this.lead = leaders(p.instrs);
    this.facts = {
      ctxs: [],
      serviceCalls: [],
      returns: [],
      carryLosses: [],
      notable: [],
      stores: [],
      callbacks: [],
      segWrites: [],
      unresolvedJumps: [],
      callbackEdges: [],
      calls: [],
      reached: new Uint8Array(p.instrs.length),
      interpreted: new Set(),
    };
    const bytes = p.ir.data.bytes;
    this.data = { base: p.ir.data.base, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    this.findSegmentInstructions();
  }

  run(): AnalysisFacts {
    this.enqueueDeviceRoots();
    for (const proc of this.p.procs) {
      if (proc.options.includes("ASYNC_SERVICE")) this.enqueue("async-service", proc.start, null, false, -1, "ASYNC_SERVICE", null, true);
    }
    for (const { entry, field } of this.interruptProcs()) this.enqueue("hw-int", entry, null, false, -1, field, this.p.deviceOfFile(this.p.items[entry]!.unit.file), true);
    this.drain();
    // Every procedure nobody reached: first those nothing calls, then the rest (dead or cyclic code).
    const called = new Set(this.p.staticCallEdges().filter((e) => e.kind === "call" || e.kind === "tail-jump").map((e) => e.to));
    for (const pass of [0, 1]) {
      for (const proc of this.p.procs) {
        if (this.facts.reached[proc.start] || proc.start >= proc.end) continue;
        if (pass === 0 && called.has(proc.index)) continue;
        this.enqueue("procedure", proc.start, null, false, -1, "", this.p.deviceOfFile(proc.file), false);
        this.drain();
      }
    }
    return this.facts;
  }

  // ------------------------------------------------------------------ roots

  private enqueue(kind: CtxKind, root: number, message: number | null, timed: boolean, origin: number, via: string, device: LintDevice | null, interruptTime: boolean): Ctx | null {
    const key = `${kind}|${root}|${message}|${timed}`;
    if (this.rootKeys.has(key)) return null;
    this.rootKeys.add(key);
    const ctx: Ctx = { id: this.facts.ctxs.length, kind, root, device, message, interruptTime, timed, origin, via };
    this.facts.ctxs.push(ctx);
    this.queue.push(ctx);
    return ctx;
  }

  private drain(): void {
    while (this.queue.length) {
      const ctx = this.queue.shift()!;
      this.analyze(ctx.root, this.rootState(ctx), ctx, true, true);
    }
  }

  private rootState(ctx: Ctx): State {
    const regs = ENTRY_REGS.slice();
    if (ctx.message !== null) regs[EAX] = cnst(ctx.message);
    const segs = ENTRY_SEGS.slice();
    const pending = ctx.timed ? [-(ctx.id + 2)] : NO_PENDING;
    return new State(regs, segs, CF_ANY, pending, ctx.kind === "message" ? CF_ANY : CF0, null, new Map(), 0, -1);
  }

  /** Every device's control procedure, once for each message it may get. */
  private enqueueDeviceRoots(): void {
    for (const d of this.p.devices) {
      if (d.control < 0) continue;
      const values = new Set<number>(MESSAGES.map((m) => m.value));
      // Private messages the device looks for: compared with EAX in its control procedure, or dispatched.
      const proc = this.p.procAt(d.control);
      if (proc) {
        for (let i = proc.start; i < proc.end; i++) {
          const ins = this.instrs[i]!;
          if (ins.op === Op.CMP && ins.a?.kind === "reg" && ins.a.reg === EAX && ins.b?.kind === "imm" && isPrivateMessage(ins.b.value >>> 0)) values.add(ins.b.value >>> 0);
        }
      }
      for (const block of this.p.dispatches) if (block.unit.file === d.file) for (const e of block.entries) values.add(e.message);
      for (const v of [...values].sort((a, b) => a - b)) this.enqueue("message", d.control, v, false, -1, d.name, d, false);
    }
  }

  /** Procedures stored into a structure field that the system calls at hardware-interrupt time. */
  private interruptProcs(): { entry: number; field: string }[] {
    const fields = new Set(interruptTimeFields().map((f) => f.toUpperCase()));
    const out: { entry: number; field: string }[] = [];
    if (fields.size === 0) return out;
    for (let i = 0; i < this.instrs.length; i++) {
      const ins = this.instrs[i]!;
      if (ins.op !== Op.MOV || ins.a?.kind !== "mem" || ins.b?.kind !== "imm") continue;
      const target = this.p.indexOfAddress(ins.b.value);
      if (target < 0) continue;
      const field = namesIn(this.p.items[i]!.operands[0] ?? null).find((n) => fields.has(n.toUpperCase()));
      if (field) out.push({ entry: target, field });
    }
    for (const item of this.p.front.data) {
      const struc = item.struc;
      if (!struc) continue;
      for (const f of struc.fields) {
        if (!fields.has(f.name.toUpperCase()) || f.size !== 4) continue;
        for (let k = 0; k * struc.size < Math.max(item.byteLength, struc.size); k++) {
          const target = this.p.indexOfAddress(this.readData(item.address + k * struc.size + f.offset) ?? 0);
          if (target >= 0) out.push({ entry: target, field: f.name });
        }
      }
    }
    return out;
  }

  private readData(addr: number): number | null {
    const off = (addr >>> 0) - this.data.base;
    if (off < 0 || off + 4 > this.data.view.byteLength) return null;
    return this.data.view.getUint32(off, true);
  }

  // ------------------------------------------------------------------ activations

  /**
   * Runs the code from `entry` with `state` (in context `ctx`); returns the state after it returns
   * (ESP past the return address), or null if it never returns. With `observe`, records facts.
   */
  private analyze(entry: number, state: State, ctx: Ctx, rootFrame: boolean, observe: boolean): State | null {
    // Activations of one entry in one context, found by comparing entry states (no string keys).
    let byCtx = this.memo.get(entry);
    if (!byCtx) this.memo.set(entry, (byCtx = new Map()));
    const slot = ctx.id * 2 + (rootFrame ? 1 : 0);
    let variants = byCtx.get(slot);
    if (!variants) byCtx.set(slot, (variants = { list: [], widened: null }));
    let act = variants.list.find((a) => sameEntry(a.entry, state, rootFrame));
    if (!act && variants.list.length >= MAX_VARIANTS) {
      const w = variants.widened ? State.join(variants.widened, state) : widen(state);
      w.slots = state.slots;
      variants.widened = w;
      state = w;
      act = variants.list.find((a) => sameEntry(a.entry, state, rootFrame));
    }
    if (act) {
      if (act.inProgress) return opaqueExit(state);
      if (!observe || act.observed) return act.exit;
    } else {
      act = { entry: state, exit: null, inProgress: false, observed: false };
      variants.list.push(act);
    }
    act.inProgress = true;
    try {
      if (this.acyclic(this.p.procOf[entry]!)) {
        // No jump goes backwards: one pass in instruction order sees every block with its final state.
        this.forwardPass(entry, state, ctx, rootFrame, act, observe);
        if (observe) act.observed = true;
      } else {
        const inStates = this.fixpoint(entry, state, ctx, rootFrame, act);
        if (observe) {
          act.observed = true;
          this.observe(entry, inStates, ctx, rootFrame);
        }
      }
    } finally {
      act.inProgress = false;
    }
    return act.exit;
  }

  /** 1 = no jump inside the procedure goes backwards, 2 = some does (by procedure index). */
  private readonly shape = new Uint8Array(0x10000);

  private acyclic(procIndex: number): boolean {
    if (procIndex < 0) return false;
    const known = procIndex < this.shape.length ? this.shape[procIndex]! : 0;
    if (known) return known === 1;
    const proc = this.p.procs[procIndex]!;
    let ok = true;
    for (let i = proc.start; i < proc.end && ok; i++) {
      const ins = this.instrs[i]!;
      if (ins.op === Op.JMP_INDIRECT) ok = false;
      else if (ins.target >= 0 && ins.op !== Op.CALL && ins.target <= i && this.p.procOf[ins.target] === procIndex) ok = false;
    }
    if (procIndex < this.shape.length) this.shape[procIndex] = ok ? 1 : 2;
    return ok;
  }

  /** The fixpoint of code whose jumps all go forwards: each block once, in order. */
  private forwardPass(entry: number, state: State, ctx: Ctx, rootFrame: boolean, act: Activation, observe: boolean): void {
    const run = new ForwardRun(entry, state, this.p.procOf[entry]!, ctx, rootFrame);
    while (run.pending.length) {
      const start = run.pending.pop()!;
      const s = run.inStates.get(start)!;
      run.inStates.delete(start);
      this.walk(start, s, run, observe);
    }
    act.exit = run.exit;
  }

  private fixpoint(entry: number, state: State, ctx: Ctx, rootFrame: boolean, act: Activation): Map<number, State> {
    const run = new FixpointRun(entry, state, this.p.procOf[entry]!, ctx, rootFrame);
    let steps = 0;
    while (run.work.length) {
      const start = run.work.pop()!;
      run.queued.delete(start);
      if (++steps > MAX_STEPS) {
        run.leave(opaqueExit(state));
        break;
      }
      this.walk(start, run.inStates.get(start)!.clone(), run, false);
    }
    act.exit = run.exit;
    return run.inStates;
  }

  private observe(entry: number, inStates: Map<number, State>, ctx: Ctx, rootFrame: boolean): void {
    const run = new ObserveRun(this.p.procOf[entry]!, ctx, rootFrame);
    const starts = [...inStates.keys()].sort((a, b) => a - b);
    for (const start of starts) this.walk(start, inStates.get(start)!.clone(), run, true);
  }

  /** Control moves to `t` with state `st`: an edge inside the procedure, or a tail jump out of it. */
  private go(site: number, t: number, st: State, run: Run, observe: boolean): void {
    if (t < 0 || t >= this.instrs.length) return;
    if (this.p.procOf[t] === run.procIndex) run.edge(t, st);
    else {
      if (observe) this.facts.calls.push({ site, target: t, ctx: run.ctx, tail: true });
      const out = this.analyze(t, st, run.ctx, run.rootFrame, observe);
      if (out) run.leave(out);
    }
  }

  /** Runs one basic block from `start`; hands each successor state to `run.edge` and each return to `run.leave`. */
  private walk(start: number, s: State, run: Run, observe: boolean): void {
    const ctx = run.ctx;
    const proc = this.p.procs[run.procIndex];
    let i = start;
    for (;;) {
      const ins = this.instrs[i]!;
      if (observe) {
        this.facts.reached[i] = 1;
        if (NOTABLE.has(ins.op)) this.facts.notable.push({ index: i, ctx, regs: s.regs.slice() });
      }
      const r = this.step(i, ins, s, ctx, run.rootFrame, observe);
      if (r === NEXT) {
        const next = i + 1;
        if (proc && next >= proc.end) {
          // Falling off the end of a procedure runs into whatever follows.
          this.go(i, next, s, run, observe);
          return;
        }
        if (next >= this.instrs.length) return;
        if (this.lead[next]) {
          run.edge(next, s);
          return;
        }
        i = next;
        continue;
      }
      if (r === STOP) return;
      if (r === RETURN) {
        run.leave(s);
        return;
      }
      // Branches: a list of [target, state].
      for (const [t, st] of r) this.go(i, t, st, run, observe);
      return;
    }
  }

  // ------------------------------------------------------------------ one instruction

  private step(i: number, ins: Instr, s: State, ctx: Ctx, rootFrame: boolean, observe: boolean): StepResult {
    const op = ins.op;
    switch (op) {
      case Op.MOV: {
        const v = this.read(ins.b!, s);
        this.write(ins.a!, v, s, i, ctx, observe);
        if (isEcx(ins.a!)) s.ecxDef = i;
        return NEXT;
      }
      case Op.MOVZX:
      case Op.MOVSX: {
        const src = ins.b!;
        const v = this.read(src, s);
        const size = src.kind === "reg" || src.kind === "mem" ? src.size : 4;
        let out: AbsVal = v.k === K_CONST ? cnst(op === Op.MOVZX ? v.n : signExtend(v.n, size)) : v.k === K_OPAQUE ? OPAQUE : TOP;
        if (size === 4) out = v;
        this.write(ins.a!, out, s, i, ctx, observe);
        if (isEcx(ins.a!)) s.ecxDef = i;
        return NEXT;
      }
      case Op.LEA: {
        const m = ins.b as MemOperand;
        this.touchEcx(m, s);
        this.write(ins.a!, this.address(m, s), s, i, ctx, observe);
        if (isEcx(ins.a!)) s.ecxDef = i;
        return NEXT;
      }
      case Op.XCHG: {
        const a = this.read(ins.a!, s);
        const b = this.read(ins.b!, s);
        this.write(ins.a!, b, s, i, ctx, observe);
        this.write(ins.b!, a, s, i, ctx, observe);
        return NEXT;
      }
      case Op.PUSH: {
        const v = this.read(ins.a!, s);
        this.push(s, ins.size === 2 ? TOP : v, ins.size);
        return NEXT;
      }
      case Op.POP: {
        const v = this.pop(s, ins.size);
        this.write(ins.a!, ins.size === 2 ? TOP : v, s, i, ctx, observe);
        if (isEcx(ins.a!)) s.ecxDef = i;
        return NEXT;
      }
      case Op.PUSHAD: {
        const sp = s.regs[ESP]!;
        s.ecxDef = -1;
        for (const r of [Reg.EAX, Reg.ECX, Reg.EDX, Reg.EBX, Reg.ESP, Reg.EBP, Reg.ESI, Reg.EDI]) this.push(s, r === Reg.ESP ? sp : s.regs[r]!, 4);
        return NEXT;
      }
      case Op.POPAD: {
        for (const r of [Reg.EDI, Reg.ESI, Reg.EBP, -1, Reg.EBX, Reg.EDX, Reg.ECX, Reg.EAX]) {
          const v = this.pop(s, 4);
          if (r >= 0) {
            s.regs[r] = v;
            s.written |= 1 << r;
          }
        }
        s.ecxDef = -1;
        if (s.flags) s.flags.aReg = -1;
        return NEXT;
      }
      case Op.PUSHFD:
        this.push(s, savedFlags(s.cf, s.pending), 4);
        s.pending = NO_PENDING;
        return NEXT;
      case Op.POPFD: {
        const v = this.pop(s, 4);
        if (v.k === K_FLAGS) {
          s.cf = v.cf;
          s.pending = v.pending;
        } else {
          s.cf = CF_ANY;
          s.pending = NO_PENDING;
        }
        s.df = CF_ANY;
        s.flags = null;
        return NEXT;
      }
      case Op.ADD:
      case Op.ADC:
      case Op.SUB:
      case Op.SBB:
      case Op.AND:
      case Op.OR:
      case Op.XOR:
      case Op.CMP:
      case Op.TEST:
        return this.alu(i, ins, s, ctx, observe);
      case Op.INC:
      case Op.DEC: {
        const a = this.read(ins.a!, s);
        const r = a.k === K_CONST ? cnst(mask(a.n + (op === Op.INC ? 1 : -1), ins.size)) : a.k === K_SYM && ins.size === 4 ? sym(a.base, a.off + (op === Op.INC ? 1 : -1)) : derived(a);
        this.write(ins.a!, r, s, i, ctx, observe);
        if (isEcx(ins.a!)) s.ecxDef = -1;
        s.flags = { kind: "result", a: r, b: TOP, size: ins.size, aReg: -1 };
        return NEXT;
      }
      case Op.NEG:
      case Op.NOT: {
        const a = this.read(ins.a!, s);
        const r = a.k === K_CONST ? cnst(mask(op === Op.NEG ? -a.n : ~a.n, ins.size)) : derived(a);
        this.write(ins.a!, r, s, i, ctx, observe);
        if (op === Op.NEG) {
          this.clobberCf(s, i, ctx, observe, a.k === K_CONST ? (a.n === 0 ? CF0 : CF1) : CF_ANY);
          s.flags = { kind: "result", a: r, b: TOP, size: ins.size, aReg: -1 };
        }
        return NEXT;
      }
      case Op.SHL:
      case Op.SHR:
      case Op.SAR:
      case Op.ROL:
      case Op.ROR:
      case Op.RCL:
      case Op.RCR: {
        const a = this.read(ins.a!, s);
        const c = this.read(ins.b!, s);
        if (c.k === K_CONST && (c.n & 31) === 0) return NEXT;
        if (op === Op.RCL || op === Op.RCR) this.useCf(s);
        let r: AbsVal = derived(a);
        if (a.k === K_CONST && c.k === K_CONST) {
          const n = c.n & 31;
          const bits = ins.size * 8;
          const x = a.n;
          if (op === Op.SHL) r = cnst(mask(x << n, ins.size));
          else if (op === Op.SHR) r = cnst(mask(mask(x, ins.size) >>> n, ins.size));
          else if (op === Op.SAR) r = cnst(mask(signExtend(x, ins.size) >> n, ins.size));
          else if (op === Op.ROL && ins.size === 4) r = cnst((x << n) | (x >>> (bits - n)));
          else if (op === Op.ROR && ins.size === 4) r = cnst((x >>> n) | (x << (bits - n)));
        }
        this.write(ins.a!, r, s, i, ctx, observe);
        if (isEcx(ins.a!)) s.ecxDef = -1;
        this.clobberCf(s, i, ctx, observe, CF_ANY);
        s.flags = op === Op.SHL || op === Op.SHR || op === Op.SAR ? { kind: "result", a: r, b: TOP, size: ins.size, aReg: -1 } : null;
        return NEXT;
      }
      case Op.MUL:
      case Op.IMUL1:
      case Op.DIV:
      case Op.IDIV: {
        this.read(ins.a!, s);
        this.setReg(s, EAX, TOP);
        if (ins.size !== 1) this.setReg(s, Reg.EDX, TOP);
        this.clobberCf(s, i, ctx, observe, CF_ANY);
        s.flags = null;
        return NEXT;
      }
      case Op.IMUL2:
      case Op.IMUL3: {
        const x = this.read(ins.b!, s);
        const y = ins.c ? this.read(ins.c, s) : this.read(ins.a!, s);
        const r = x.k === K_CONST && y.k === K_CONST ? cnst(mask(Math.imul(x.n, y.n), ins.size)) : TOP;
        this.write(ins.a!, r, s, i, ctx, observe);
        this.clobberCf(s, i, ctx, observe, CF_ANY);
        s.flags = null;
        return NEXT;
      }
      case Op.CDQ:
      case Op.CWD: {
        const a = s.regs[EAX]!;
        const negative = a.k === K_CONST ? signExtend(a.n, op === Op.CDQ ? 4 : 2) < 0 : null;
        const edx: RegOperand = { kind: "reg", reg: Reg.EDX, size: op === Op.CDQ ? 4 : 2, high: false };
        writeReg(s, edx, negative === null ? derived(a) : cnst(negative ? 0xffffffff : 0));
        return NEXT;
      }
      case Op.CWDE:
      case Op.CBW: {
        const a = s.regs[EAX]!;
        this.setReg(s, EAX, a.k === K_CONST ? cnst(op === Op.CWDE ? signExtend(a.n, 2) : (a.n & 0xffff0000) | (signExtend(a.n, 1) & 0xffff)) : derived(a));
        return NEXT;
      }
      case Op.JMP:
        return [[ins.target, s]];
      case Op.JMP_INDIRECT: {
        const t = this.indirectTarget(ins.a!, s);
        if (t >= 0) return [[t, s]];
        if (observe) this.facts.unresolvedJumps.push({ index: i, ctx });
        return this.opaqueReturn(s);
      }
      case Op.JCC:
        return this.branch(i, ins, s);
      case Op.LOOP:
      case Op.LOOPZ:
      case Op.LOOPNZ: {
        s.ecxDef = -1;
        const c = s.regs[ECX]!;
        const next = c.k === K_CONST ? cnst(c.n - 1) : derived(c);
        this.setReg(s, ECX, next);
        if (op === Op.LOOP && next.k === K_CONST) return next.n !== 0 ? [[ins.target, s]] : [[i + 1, s]];
        return [[ins.target, s.clone()], [i + 1, s]];
      }
      case Op.JECXZ: {
        s.ecxDef = -1;
        const c = s.regs[ECX]!;
        if (c.k === K_CONST) return c.n === 0 ? [[ins.target, s]] : [[i + 1, s]];
        return [[ins.target, s.clone()], [i + 1, s]];
      }
      case Op.CALL:
        return this.call(i, ins.target, s, ctx, observe);
      case Op.CALL_INDIRECT: {
        const t = this.indirectTarget(ins.a!, s);
        if (t >= 0) return this.call(i, t, s, ctx, observe);
        if (observe) this.facts.unresolvedJumps.push({ index: i, ctx });
        this.opaqueCall(s);
        return NEXT;
      }
      case Op.RET: {
        if (observe) this.facts.returns.push({ index: i, ctx, rootFrame, regs: s.regs.slice(), segs: s.segs.slice(), cf: s.cf, df: s.df });
        this.setReg(s, ESP, addConst(s.regs[ESP]!, 4 + ins.extra), false);
        s.flags = null;
        return RETURN;
      }
      case Op.VXDCALL:
      case Op.VXDJMP:
        return this.service(i, ins, s, ctx, rootFrame, observe);
      case Op.CLC:
      case Op.STC:
        this.clobberCf(s, i, ctx, observe, op === Op.CLC ? CF0 : CF1);
        return NEXT;
      case Op.CMC:
        this.useCf(s);
        s.cf = (s.cf & CF0 ? CF1 : 0) | (s.cf & CF1 ? CF0 : 0) | (s.cf & CF_ANY);
        return NEXT;
      case Op.CLD:
        s.df = CF0;
        return NEXT;
      case Op.STD:
        s.df = CF1;
        return NEXT;
      case Op.LODS:
      case Op.STOS:
      case Op.MOVS:
      case Op.CMPS:
      case Op.SCAS: {
        if (ins.extra !== 0) {
          s.ecxDef = -1;
          this.setReg(s, ECX, TOP);
        }
        if (op === Op.LODS) this.setReg(s, EAX, TOP);
        if (op !== Op.STOS && op !== Op.SCAS) this.setReg(s, Reg.ESI, TOP);
        if (op !== Op.LODS) this.setReg(s, Reg.EDI, TOP);
        if (op === Op.CMPS || op === Op.SCAS) {
          this.clobberCf(s, i, ctx, observe, CF_ANY);
          s.flags = null;
        }
        return NEXT;
      }
      case Op.SETCC:
      case Op.CMOVCC: {
        if (condUsesCf(ins.extra)) this.useCf(s);
        if (op === Op.CMOVCC) this.read(ins.b!, s);
        this.write(ins.a!, TOP, s, i, ctx, observe);
        return NEXT;
      }
      case Op.LAHF:
        this.useCf(s);
        this.setReg(s, EAX, TOP);
        return NEXT;
      case Op.SAHF:
        this.clobberCf(s, i, ctx, observe, CF_ANY);
        s.flags = null;
        return NEXT;
      case Op.BT:
      case Op.BTS:
      case Op.BTR:
      case Op.BTC: {
        this.read(ins.b!, s);
        if (op !== Op.BT) this.write(ins.a!, derived(this.read(ins.a!, s)), s, i, ctx, observe);
        else this.read(ins.a!, s);
        this.clobberCf(s, i, ctx, observe, CF_ANY);
        return NEXT;
      }
      case Op.BSF:
      case Op.BSR:
      case Op.BSWAP:
      case Op.XADD:
      case Op.CMPXCHG:
      case Op.SHLD:
      case Op.SHRD: {
        if (ins.b) this.read(ins.b, s);
        this.write(ins.a!, TOP, s, i, ctx, observe);
        if (op === Op.XADD && ins.b) this.write(ins.b, TOP, s, i, ctx, observe);
        if (op === Op.CMPXCHG) this.setReg(s, EAX, TOP);
        if (op !== Op.BSWAP) {
          this.clobberCf(s, i, ctx, observe, CF_ANY);
          s.flags = null;
        }
        return NEXT;
      }
      case Op.LEAVE: {
        this.setReg(s, ESP, s.regs[EBP]!, false);
        this.setReg(s, EBP, this.pop(s, 4));
        return NEXT;
      }
      case Op.ENTER: {
        this.push(s, s.regs[EBP]!, 4);
        this.setReg(s, EBP, s.regs[ESP]!);
        const size = ins.a?.kind === "imm" ? ins.a.value : 0;
        this.setReg(s, ESP, addConst(s.regs[ESP]!, -size), false);
        return NEXT;
      }
      case Op.INT:
        this.opaqueCall(s);
        return NEXT;
      case Op.HALT:
        return STOP;
      case Op.TRAP:
        this.trap(i, s, ctx, observe);
        return NEXT;
      case Op.TRACE_OUT:
      case Op.NOP:
      case Op.CLI:
      case Op.STI:
      default:
        return NEXT;
    }
  }

  private alu(i: number, ins: Instr, s: State, ctx: Ctx, observe: boolean): StepResult {
    const op = ins.op;
    const size = ins.size;
    const dst = ins.a!;
    const src = ins.b!;
    const same = dst.kind === "reg" && src.kind === "reg" && dst.reg === src.reg && dst.size === src.size && dst.high === src.high;
    if ((op === Op.XOR || op === Op.SUB) && same) {
      // The zeroing idiom: the old value does not matter.
      this.write(dst, cnst(0), s, i, ctx, observe);
      if (isEcx(dst)) s.ecxDef = i;
      this.clobberCf(s, i, ctx, observe, CF0);
      s.flags = { kind: "result", a: cnst(0), b: TOP, size, aReg: -1 };
      return NEXT;
    }
    if (op === Op.ADC || op === Op.SBB) this.useCf(s);
    const a = this.read(dst, s);
    const b = this.read(src, s);
    let r: AbsVal = TOP;
    let cf = CF_ANY;
    if (a.k === K_CONST && b.k === K_CONST) {
      const x = mask(a.n, size);
      const y = mask(b.n, size);
      switch (op) {
        case Op.ADD:
          r = cnst(mask(x + y, size));
          cf = x + y > mask(-1, size) ? CF1 : CF0;
          break;
        case Op.SUB:
        case Op.CMP:
          r = cnst(mask(x - y, size));
          cf = x < y ? CF1 : CF0;
          break;
        case Op.AND:
        case Op.TEST:
          r = cnst(x & y);
          cf = CF0;
          break;
        case Op.OR:
          r = cnst(x | y);
          cf = CF0;
          break;
        case Op.XOR:
          r = cnst(x ^ y);
          cf = CF0;
          break;
        default:
          r = TOP;
      }
    } else {
      if (op === Op.AND || op === Op.OR || op === Op.XOR || op === Op.TEST) cf = CF0;
      if (size === 4 && b.k === K_CONST && a.k === K_SYM && (op === Op.ADD || op === Op.SUB)) r = sym(a.base, a.off + (op === Op.ADD ? b.n | 0 : -(b.n | 0)));
      else if (op === Op.OR && b.k === K_CONST && b.n === 0) r = a;
      else if (op === Op.AND && b.k === K_CONST && mask(b.n, size) === mask(-1, size)) r = a;
      else if (op === Op.OR && same) r = a;
      else if (op === Op.AND && same) r = a;
      else r = a.k === K_OPAQUE || b.k === K_OPAQUE ? OPAQUE : TOP;
    }
    if (op !== Op.CMP && op !== Op.TEST) {
      this.write(dst, r, s, i, ctx, observe);
      if (isEcx(dst)) s.ecxDef = -1;
    }
    this.clobberCf(s, i, ctx, observe, cf);
    if (op === Op.CMP || op === Op.SUB) s.flags = { kind: "sub", a, b, size, aReg: op === Op.CMP && dst.kind === "reg" && dst.size === 4 ? dst.reg : -1 };
    else if (op === Op.TEST || op === Op.AND || op === Op.OR || op === Op.XOR) s.flags = { kind: "logic", a: r, b: TOP, size, aReg: -1 };
    else s.flags = { kind: "result", a: r, b: TOP, size, aReg: -1 };
    return NEXT;
  }

  private branch(i: number, ins: Instr, s: State): StepResult {
    const cond = ins.extra as Cond;
    const usesCf = condUsesCf(cond);
    if (usesCf) this.useCf(s);
    const decided = decide(cond, s);
    const taken = s.clone();
    const fall = s;
    // What each edge learns: CF for JC/JNC, equality for JE/JNE after CMP reg, imm.
    if (cond === Cond.B || cond === Cond.AE) {
      const takenCf = cond === Cond.B ? CF1 : CF0;
      taken.cf = takenCf;
      fall.cf = takenCf === CF1 ? CF0 : CF1;
    }
    const f = s.flags;
    if (f && f.kind === "sub" && f.aReg >= 0 && f.b.k === K_CONST && (cond === Cond.E || cond === Cond.NE)) {
      const eq = cond === Cond.E ? taken : fall;
      if (eq.regs[f.aReg]!.k !== K_CONST) eq.regs[f.aReg] = f.b;
    }
    if (decided === true) return [[ins.target, taken]];
    if (decided === false) return [[i + 1, fall]];
    return [[ins.target, taken], [i + 1, fall]];
  }

  private call(i: number, target: number, s: State, ctx: Ctx, observe: boolean): StepResult {
    if (observe) this.facts.calls.push({ site: i, target, ctx, tail: false });
    const sp = s.regs[ESP]!;
    const callee = s.clone();
    callee.slots = new Map();
    callee.flags = null;
    callee.ecxDef = -1;
    const shift = sp.k === K_SYM && sp.base === "SP" ? sp.off - 4 : null;
    rebase(callee, shift === null ? null : -shift);
    callee.regs[ESP] = sym("SP", 0);
    const exit = this.analyze(target, callee, ctx, false, observe);
    if (!exit) return STOP;
    const out = exit.clone();
    rebase(out, shift);
    out.slots = s.slots;
    out.flags = null;
    s.regs = out.regs;
    s.segs = out.segs;
    s.cf = out.cf;
    s.pending = out.pending;
    s.df = out.df;
    s.flags = null;
    s.written = out.written;
    s.ecxDef = out.ecxDef;
    return NEXT;
  }

  /** A call whose target lint cannot see: everything but ESP and EBP becomes opaque. */
  private opaqueCall(s: State): void {
    for (let r = 0; r < 8; r++) if (r !== ESP && r !== EBP) s.regs[r] = OPAQUE;
    s.cf = CF_ANY;
    s.pending = NO_PENDING;
    s.flags = null;
    s.written = ALL_WRITTEN;
    s.ecxDef = -1;
  }

  private opaqueReturn(s: State): StepResult {
    const o = opaqueExit(s);
    s.regs = o.regs;
    s.segs = o.segs;
    s.cf = o.cf;
    s.pending = o.pending;
    s.written = o.written;
    return RETURN;
  }

  private service(i: number, ins: Instr, s: State, ctx: Ctx, rootFrame: boolean, observe: boolean): StepResult {
    const jump = ins.op === Op.VXDJMP;
    const name = ins.text ?? "";
    const service = ins.extra === UNKNOWN_SERVICE_ID ? (serviceByName(name) ?? null) : (serviceById(ins.extra) ?? serviceByName(name) ?? null);
    if (observe) this.facts.serviceCalls.push({ index: i, name: service?.name ?? name, service, jump, ctx, regs: s.regs.slice(), written: s.written, ecxDef: s.ecxDef });
    const cb = service ? callbackService(service.name) : undefined;
    if (cb && observe) {
      const entry = this.callbackEntry(s.regs[Reg.ESI]!);
      if (entry >= 0) this.scheduleCallback(i, cb, entry, s, ctx);
    }
    const isSend = service?.name === "System_Control" || service?.name === "Directed_Sys_Control";
    const eax = s.regs[EAX]!;
    if (service && (service.uses.length || service.outputs.length)) {
      const { regs, flags } = effectsOf(service);
      for (const r of regs) {
        if (r === ECX) s.ecxDef = -1;
        this.setReg(s, r, TOP);
      }
      if (flags) {
        this.clobberCf(s, i, ctx, observe, CF_ANY);
        s.flags = null;
      }
    } else if (service && service.convention === "c") {
      for (const r of [EAX, ECX, Reg.EDX]) this.setReg(s, r, TOP);
      s.ecxDef = -1;
      this.clobberCf(s, i, ctx, observe, CF_ANY);
      s.flags = null;
    } else {
      // A service with no contract in the tables (or one no table knows): lint cannot see what it changes.
      for (let r = 0; r < 8; r++) if (r !== ESP && r !== EBP) s.regs[r] = OPAQUE;
      s.written = ALL_WRITTEN;
      s.ecxDef = -1;
      s.cf = CF_ANY;
      s.pending = NO_PENDING;
      s.flags = null;
    }
    if (cb && service && service.outputs.some((o) => o.reg === "ESI")) s.regs[Reg.ESI] = handle(i);
    if (isSend && eax.k === K_CONST && sendCanFail(eax.n)) {
      s.cf = CF_ANY;
      s.pending = [i];
    }
    if (service && neverReturns(service)) return STOP;
    if (jump) {
      if (observe) this.facts.returns.push({ index: i, ctx, rootFrame, regs: s.regs.slice(), segs: s.segs.slice(), cf: s.cf, df: s.df });
      this.setReg(s, ESP, addConst(s.regs[ESP]!, 4), false);
      return RETURN;
    }
    void rootFrame;
    return NEXT;
  }

  private callbackEntry(v: AbsVal): number {
    return v.k === K_CONST ? this.p.indexOfAddress(v.n) : -1;
  }

  private scheduleCallback(site: number, cb: CallbackService, entry: number, s: State, ctx: Ctx): void {
    const ecx = s.regs[ECX]!;
    const eax = s.regs[EAX]!;
    this.facts.callbacks.push({ site, service: cb, entry, ctx, eax, ecx });
    const timed = cb.kind === "priority-event" && ecx.k === K_CONST && (ecx.n & PEF_TIME_OUT) !== 0;
    const kind: CtxKind = cb.kind === "other" ? "other-callback" : cb.kind;
    const created = this.enqueue(kind, entry, null, timed, site, cb.service.name, ctx.device, cb.kind === "async-time-out");
    const from = this.p.procOf[site]!;
    const to = this.p.procOf[entry]!;
    const edgeKey = `${site}|${to}`;
    if (created || !this.edgeKeys.has(edgeKey)) {
      this.edgeKeys.add(edgeKey);
      this.facts.callbackEdges.push({ from, to, kind: "callback", site, via: cb.service.name });
    }
  }

  // ------------------------------------------------------------------ operands

  private read(o: Operand, s: State): AbsVal {
    switch (o.kind) {
      case "imm":
        return cnst(o.value);
      case "reg":
        if (o.reg === ECX) s.ecxDef = -1;
        return readReg(s, o);
      case "mem":
        this.touchEcx(o, s);
        return this.load(o, s);
    }
  }

  private touchEcx(m: MemOperand, s: State): void {
    if (m.base === ECX || m.index === ECX) s.ecxDef = -1;
  }

  private address(m: MemOperand, s: State): AbsVal {
    let v: AbsVal = cnst(m.disp);
    if (m.base >= 0) v = addVals(v, s.regs[m.base]!);
    if (m.index >= 0) {
      const x = s.regs[m.index]!;
      v = x.k === K_CONST ? addConst(v, Math.imul(x.n, m.scale)) : x.k === K_OPAQUE ? OPAQUE : TOP;
    }
    return v;
  }

  private load(m: MemOperand, s: State): AbsVal {
    const addr = this.address(m, s);
    if (addr.k === K_CONST) return m.size === 4 ? load(addr.n) : TOP;
    if (addr.k === K_SYM && addr.base === "SP") return (m.size === 4 ? s.slots.get(addr.off) : undefined) ?? TOP;
    return addr.k === K_OPAQUE ? OPAQUE : TOP;
  }

  private write(o: Operand, v: AbsVal, s: State, i: number, ctx: Ctx, observe: boolean): void {
    if (o.kind === "reg") {
      writeReg(s, o, v);
      return;
    }
    if (o.kind !== "mem") return;
    this.touchEcx(o, s);
    const addr = this.address(o, s);
    if (addr.k === K_CONST) {
      if (observe) this.facts.stores.push({ index: i, addr: addr.n, value: o.size === 4 ? v : TOP, ctx });
    } else if (addr.k === K_SYM && addr.base === "SP") s.slots.set(addr.off, o.size === 4 ? v : TOP);
  }

  private setReg(s: State, r: number, v: AbsVal, written = true): void {
    s.regs[r] = v;
    if (written) s.written |= 1 << r;
    if (s.flags && s.flags.aReg === r) s.flags.aReg = -1;
  }

  private push(s: State, v: AbsVal, size: number): void {
    const sp = addConst(s.regs[ESP]!, -size);
    s.regs[ESP] = sp;
    if (sp.k === K_SYM && sp.base === "SP") s.slots.set(sp.off, v);
  }

  private pop(s: State, size: number): AbsVal {
    const sp = s.regs[ESP]!;
    const v = sp.k === K_SYM && sp.base === "SP" ? (s.slots.get(sp.off) ?? TOP) : sp.k === K_OPAQUE ? OPAQUE : TOP;
    s.regs[ESP] = addConst(sp, size);
    return v;
  }

  /** Target instruction of an indirect jump or call whose operand value is known (a jump table). */
  private indirectTarget(o: Operand, s: State): number {
    if (o.kind === "reg") {
      const v = s.regs[o.reg]!;
      return v.k === K_CONST ? this.p.indexOfAddress(v.n) : -1;
    }
    if (o.kind !== "mem") return -1;
    const addr = this.address(o, s);
    if (addr.k !== K_CONST) return -1;
    const v = this.readData(addr.n);
    return v === null ? -1 : this.p.indexOfAddress(v);
  }

  // ------------------------------------------------------------------ the carry flag

  /** An instruction reads CF: pending carry results count as tested. */
  private useCf(s: State): void {
    s.pending = NO_PENDING;
  }

  /** An instruction sets CF without reading it: a pending result is lost here. */
  private clobberCf(s: State, i: number, ctx: Ctx, observe: boolean, cf: number): void {
    if (s.pending.length && observe) for (const id of s.pending) this.facts.carryLosses.push({ id, at: i, ctx });
    s.pending = NO_PENDING;
    s.cf = cf;
  }

  // ------------------------------------------------------------------ segment registers

  /** Instructions with a segment-register operand: the IR cannot hold them, so their source is read. */
  private findSegmentInstructions(): void {
    for (let i = 0; i < this.instrs.length; i++) {
      if (this.instrs[i]!.op !== Op.TRAP) continue;
      const item = this.p.items[i]!;
      const ops = item.operands;
      const segOf = (e: Expr | null | undefined): string | null => (e && e.k === "name" && SEGMENT_REGISTERS.has(e.name.toUpperCase()) ? e.name.toUpperCase() : null);
      const m = item.mnemonic;
      if ((m === "push" || m === "pop") && segOf(ops[0])) {
        this.segInstrs.set(i, { op: m, seg: segOf(ops[0])!, other: null, src: null });
      } else if (m === "mov" && ops.length === 2 && segOf(ops[0])) {
        this.segInstrs.set(i, { op: "mov", seg: segOf(ops[0])!, other: null, src: segOf(ops[1]) });
      } else if (m === "mov" && ops.length === 2 && segOf(ops[1])) {
        const dst = ops[0];
        const reg = dst && dst.k === "name" ? registerByName(dst.name) : undefined;
        this.segInstrs.set(i, { op: "read", seg: segOf(ops[1])!, other: reg ? { kind: "reg", reg: reg.reg, size: reg.size, high: reg.high } : null, src: null });
      } else continue;
      this.facts.interpreted.add(i);
    }
  }

  private trap(i: number, s: State, ctx: Ctx, observe: boolean): void {
    const seg = this.segInstrs.get(i);
    if (!seg) {
      // An instruction that did not assemble: its effects are unknown.
      const first = this.p.items[i]!.operands[0];
      const reg = first && first.k === "name" ? registerByName(first.name) : undefined;
      if (reg) s.regs[reg.reg] = OPAQUE;
      return;
    }
    const k = SEGS.indexOf(seg.seg as (typeof SEGS)[number]);
    const setSeg = (v: AbsVal): void => {
      s.segs[k] = v;
      if (observe) this.facts.segWrites.push({ index: i, seg: seg.seg, value: v, ctx });
    };
    switch (seg.op) {
      case "push":
        this.push(s, s.segs[k]!, 4);
        return;
      case "pop":
        setSeg(this.pop(s, 4));
        return;
      case "mov":
        setSeg(seg.src ? s.segs[SEGS.indexOf(seg.src as (typeof SEGS)[number])]! : TOP);
        return;
      case "read":
        if (seg.other) writeReg(s, seg.other as RegOperand, TOP);
        return;
    }
  }
}

// ------------------------------------------------------------------ runs of one activation

/** Where a walk hands its successors and returns (classes, not closures: one is made per activation). */
abstract class Run {
  exit: State | null = null;
  constructor(
    readonly procIndex: number,
    readonly ctx: Ctx,
    readonly rootFrame: boolean,
  ) {}
  abstract edge(target: number, s: State): void;
  leave(s: State): void {
    this.exit = this.exit ? State.join(this.exit, s) : s;
  }
}

/** A fixpoint over blocks in any order (code with loops). */
class FixpointRun extends Run {
  readonly inStates: Map<number, State>;
  readonly work: number[];
  readonly queued: Set<number>;
  constructor(entry: number, state: State, procIndex: number, ctx: Ctx, rootFrame: boolean) {
    super(procIndex, ctx, rootFrame);
    this.inStates = new Map([[entry, state]]);
    this.work = [entry];
    this.queued = new Set([entry]);
  }
  edge(target: number, s: State): void {
    const old = this.inStates.get(target);
    if (!old) {
      this.inStates.set(target, s);
      this.work.push(target);
      this.queued.add(target);
      return;
    }
    const joined = State.join(old, s);
    if (!joined.equals(old)) {
      this.inStates.set(target, joined);
      if (!this.queued.has(target)) {
        this.work.push(target);
        this.queued.add(target);
      }
    }
  }
}

/** Blocks in instruction order, each once (code whose jumps all go forwards). */
class ForwardRun extends Run {
  readonly inStates: Map<number, State>;
  /** Sorted, smallest last. */
  readonly pending: number[];
  constructor(entry: number, state: State, procIndex: number, ctx: Ctx, rootFrame: boolean) {
    super(procIndex, ctx, rootFrame);
    this.inStates = new Map([[entry, state]]);
    this.pending = [entry];
  }
  edge(target: number, s: State): void {
    const old = this.inStates.get(target);
    if (old) this.inStates.set(target, State.join(old, s));
    else {
      this.inStates.set(target, s);
      let k = this.pending.length;
      while (k > 0 && this.pending[k - 1]! < target) k--;
      this.pending.splice(k, 0, target);
    }
  }
}

/** The second pass over a fixpoint's final states: only facts are recorded. */
class ObserveRun extends Run {
  edge(): void {}
  override leave(): void {}
}

// ------------------------------------------------------------------ helpers

type StepResult = 0 | 1 | 2 | [number, State][];
const NEXT = 0;
const STOP = 1;
const RETURN = 2;

const EFFECTS = new Map<ServiceInfo, { regs: number[]; flags: boolean }>();

/** The registers a service call changes (its Uses line and outputs), and whether it changes the flags. */
function effectsOf(service: ServiceInfo): { regs: number[]; flags: boolean } {
  let e = EFFECTS.get(service);
  if (e) return e;
  const regs = new Set<number>();
  let flags = false;
  for (const u of [...service.uses, ...service.outputs.map((o) => o.reg)]) {
    const reg = registerByName(u);
    if (reg) regs.add(reg.reg);
    else if (/^(Flags|CF|ZF|SF|OF)$/i.test(u)) flags = true;
  }
  EFFECTS.set(service, (e = { regs: [...regs], flags }));
  return e;
}

/** Do two entry states look the same to the code they enter (registers, flags; ESP only in the root frame)? */
function sameEntry(a: State, b: State, rootFrame: boolean): boolean {
  if (a.cf !== b.cf || a.df !== b.df || a.written !== b.written || !samePending(a.pending, b.pending)) return false;
  for (let r = 0; r < 8; r++) if ((r !== ESP || rootFrame) && !eqVal(a.regs[r]!, b.regs[r]!)) return false;
  for (let k = 0; k < 6; k++) if (!eqVal(a.segs[k]!, b.segs[k]!)) return false;
  return true;
}

function keyOf(v: AbsVal): string {
  return v.k === K_SYM ? `${v.base}${v.off}` : v.k === K_CONST ? `c${v.n}` : String(v.k);
}

function mask(n: number, size: number): number {
  return size === 4 ? n >>> 0 : size === 2 ? n & 0xffff : n & 0xff;
}

function signExtend(n: number, size: number): number {
  return size === 4 ? n | 0 : size === 2 ? (n << 16) >> 16 : (n << 24) >> 24;
}

function derived(a: AbsVal): AbsVal {
  return a.k === K_OPAQUE ? OPAQUE : TOP;
}

function addConst(v: AbsVal, n: number): AbsVal {
  if (v.k === K_CONST) return cnst(v.n + n);
  if (v.k === K_SYM) return sym(v.base, v.off + n);
  return derived(v);
}

function addVals(a: AbsVal, b: AbsVal): AbsVal {
  if (a.k === K_CONST) return addConst(b, a.n);
  if (b.k === K_CONST) return addConst(a, b.n);
  return a.k === K_OPAQUE || b.k === K_OPAQUE ? OPAQUE : TOP;
}

function isEcx(o: Operand): boolean {
  return o.kind === "reg" && o.reg === ECX;
}

function readReg(s: State, o: RegOperand): AbsVal {
  const v = s.regs[o.reg]!;
  if (o.size === 4) return v;
  if (v.k === K_CONST) return cnst(o.size === 2 ? v.n & 0xffff : o.high ? (v.n >>> 8) & 0xff : v.n & 0xff);
  return derived(v);
}

function writeReg(s: State, o: RegOperand, v: AbsVal): void {
  s.written |= 1 << o.reg;
  if (s.flags && s.flags.aReg === o.reg) s.flags.aReg = -1;
  if (o.size === 4) {
    s.regs[o.reg] = v;
    return;
  }
  const old = s.regs[o.reg]!;
  if (old.k === K_CONST && v.k === K_CONST) {
    const n = o.size === 2 ? (old.n & 0xffff0000) | (v.n & 0xffff) : o.high ? (old.n & 0xffff00ff) | ((v.n & 0xff) << 8) : (old.n & 0xffffff00) | (v.n & 0xff);
    s.regs[o.reg] = cnst(n);
  } else s.regs[o.reg] = old.k === K_OPAQUE || v.k === K_OPAQUE ? OPAQUE : TOP;
}

/** Moves every ESP-relative value of a state by `delta` (null: they cannot be expressed, so unknown). */
function rebase(s: State, delta: number | null): void {
  for (let r = 0; r < 8; r++) {
    const v = s.regs[r]!;
    if (v.k === K_SYM && v.base === "SP") s.regs[r] = delta === null ? TOP : sym("SP", v.off + delta);
  }
}

function widen(s: State): State {
  const w = s.clone();
  for (let r = 0; r < 8; r++) if (r !== ESP && w.regs[r]!.k !== K_SYM) w.regs[r] = w.regs[r]!.k === K_OPAQUE ? OPAQUE : TOP;
  return w;
}

function opaqueExit(entry: State): State {
  const regs = entry.regs.map((v, r) => (r === ESP ? addConst(v, 4) : r === EBP ? v : OPAQUE));
  return new State(regs, entry.segs.slice(), CF_ANY, NO_PENDING, CF_ANY, null, new Map(), ALL_WRITTEN, -1);
}

function condUsesCf(c: number): boolean {
  return c === Cond.B || c === Cond.AE || c === Cond.BE || c === Cond.A;
}

/** Whether a conditional jump is taken, from what the flags are known to be (undefined: not known). */
function decide(cond: number, s: State): boolean | undefined {
  const f = s.flags;
  let zf: boolean | undefined;
  let sf: boolean | undefined;
  let of: boolean | undefined;
  let cf: boolean | undefined = s.cf === CF0 ? false : s.cf === CF1 ? true : undefined;
  if (f) {
    const bits = f.size * 8;
    const top = 2 ** (bits - 1);
    if (f.kind === "sub" && isConst(f.a) && isConst(f.b)) {
      const x = mask(f.a.n, f.size);
      const y = mask(f.b.n, f.size);
      const r = mask(x - y, f.size);
      zf = r === 0;
      sf = r >= top;
      cf = x < y;
      const sx = signExtend(x, f.size);
      const sy = signExtend(y, f.size);
      const d = sx - sy;
      of = d < -top || d >= top;
    } else if (f.kind === "sub" && f.a.k === K_SYM && f.b.k === K_SYM && f.a.base === f.b.base && f.a.off === f.b.off) {
      zf = true;
      cf = false;
      sf = false;
      of = false;
    } else if ((f.kind === "logic" || f.kind === "result") && isConst(f.a)) {
      const r = mask(f.a.n, f.size);
      zf = r === 0;
      sf = r >= top;
      if (f.kind === "logic") {
        of = false;
        cf = false;
      }
    }
  }
  switch (cond) {
    case Cond.E:
      return zf;
    case Cond.NE:
      return zf === undefined ? undefined : !zf;
    case Cond.B:
      return cf;
    case Cond.AE:
      return cf === undefined ? undefined : !cf;
    case Cond.BE:
      return cf === true || zf === true ? true : cf === false && zf === false ? false : undefined;
    case Cond.A:
      return cf === true || zf === true ? false : cf === false && zf === false ? true : undefined;
    case Cond.S:
      return sf;
    case Cond.NS:
      return sf === undefined ? undefined : !sf;
    case Cond.L:
      return sf === undefined || of === undefined ? undefined : sf !== of;
    case Cond.GE:
      return sf === undefined || of === undefined ? undefined : sf === of;
    case Cond.LE:
      return zf === true ? true : sf === undefined || of === undefined || zf === undefined ? undefined : sf !== of;
    case Cond.G:
      return zf === true ? false : sf === undefined || of === undefined || zf === undefined ? undefined : !zf && sf === of;
    default:
      return undefined;
  }
}

/** Every name in an expression (whole symbols only). */
export function namesIn(e: Expr | null): string[] {
  const out: string[] = [];
  const visit = (x: Expr | null): void => {
    if (!x) return;
    switch (x.k) {
      case "name":
        out.push(x.name);
        return;
      case "unary":
        return visit(x.arg);
      case "binary":
        visit(x.left);
        return visit(x.right);
      case "index":
        visit(x.left);
        return visit(x.inner);
      case "field":
        visit(x.left);
        out.push(x.field);
        return;
      case "ptr":
        return visit(x.arg);
      case "seg":
        return visit(x.arg);
      case "dup":
        visit(x.count);
        x.items.forEach(visit);
        return;
      default:
        return;
    }
  };
  visit(e);
  return out;
}

export { CF0, CF1, CF_ANY, isBranch };
