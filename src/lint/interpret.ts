// The abstract machine under the analysis: what each instruction does to what is known about the
// registers, segment registers, the carry flag, the last comparison and the stack (values.ts).
// Constant propagation lives here: MOV, equates (immediates), XOR r,r / SUB r,r, register copies,
// PUSH/POP, LEA and simple arithmetic; known comparisons decide branches, and each side of a
// branch learns what it implies (CF for JC/JNC, the compared value for JE/JNE). Calls and service
// calls are the analysis's business (analysis.ts).
import { Op, Cond, Reg, type Instr, type MemOperand, type Operand, type RegOperand } from "../ir/types.js";
import { registerByName, SEGMENT_REGISTERS } from "../front/registers.js";
import type { Expr } from "../front/ast.js";
import type { LintProgram } from "./program.js";
import { factList, newFacts, type AnalysisFacts, type Ctx } from "./observations.js";
import { FAMILY, Family } from "./op-families.js";
import {
  CF0,
  CF1,
  CF_ANY,
  cnst,
  ESP,
  isConst,
  K_CONST,
  K_FLAGS,
  K_HANDLE,
  K_OPAQUE,
  K_SYM,
  NO_PENDING,
  NO_SLOTS,
  OPAQUE,
  FlagsSource,
  resultFlags,
  SEGS,
  State,
  load,
  savedFlags,
  sym,
  TOP,
  type AbsVal,
} from "./values.js";

export type StepResult = 0 | 1 | 2 | 3 | 4;
/** Go on with the next instruction. */
export const NEXT = 0;
/** The path ends here (no return). */
export const STOP = 1;
/** The activation returns: the state is its exit. */
export const RETURN = 2;
/** Control goes to one place: Interpreter.firstTarget with firstState. */
export const JUMP = 3;
/** Control goes to two places: first (the jump taken) and second (the next instruction). */
export const FORK = 4;

export const EAX = Reg.EAX;
export const ECX = Reg.ECX;
export const EBP = Reg.EBP;
export const ALL_WRITTEN = 0xff;

/** What one Family's instructions do; every one takes the same arguments (those it needs first). */
type FamilyStep = (this: Interpreter, i: number, ins: Instr, s: State, ctx: Ctx, observe: boolean, rootFrame: boolean) => StepResult;

export abstract class Interpreter {
  protected readonly instrs: readonly Instr[];
  /** Where facts go: the analysis's own, or a log while a loop's fixpoint is being found (analysis.ts). */
  protected facts: AnalysisFacts;
  protected readonly data: { base: number; view: DataView };
  protected readonly segInstrs = new Map<number, { op: "mov" | "push" | "pop" | "read"; seg: string; other: Operand | null; src: string | null }>();
  /** Where a JUMP or FORK goes (fields, not arrays: a branch then allocates nothing); read them before the next step. */
  protected firstTarget = 0;
  protected firstState: State | null = null;
  protected secondTarget = 0;
  protected secondState: State | null = null;

  constructor(protected readonly p: LintProgram) {
    this.instrs = p.instrs;
    this.facts = newFacts({ ctxs: factList(), callbacks: factList(), callbackEdges: factList(), calls: factList(), reached: new Uint8Array(p.instrs.length), interpreted: new Set() });
    const bytes = p.ir.data.bytes;
    this.data = { base: p.ir.data.base, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    this.findSegmentInstructions();
  }

  /** A direct call of `target` (the callee runs with the caller's state). */
  protected abstract call(i: number, target: number, s: State, ctx: Ctx, observe: boolean): StepResult;
  /** VMMcall/VxDcall/VMMjmp/VxDjmp. */
  protected abstract service(i: number, ins: Instr, s: State, ctx: Ctx, rootFrame: boolean, observe: boolean): StepResult;

  protected readData(addr: number): number | null {
    const off = (addr >>> 0) - this.data.base;
    if (off < 0 || off + 4 > this.data.view.byteLength) return null;
    return this.data.view.getUint32(off, true);
  }

  protected step(i: number, ins: Instr, s: State, ctx: Ctx, rootFrame: boolean, observe: boolean): StepResult {
    return Interpreter.FAMILY_STEPS[FAMILY[ins.op]!]!.call(this, i, ins, s, ctx, observe, rootFrame);
  }

  /**
   * What `step` does, by Family. A table, not a switch: the JIT compiles `step` as one call, without
   * every family's code inlined in it, and a family met only late in a run (PUSHAD, the rare
   * operations) does not throw `step`'s compiled code away.
   */
  private static readonly FAMILY_STEPS: readonly FamilyStep[] = Interpreter.familySteps();

  private static familySteps(): FamilyStep[] {
    const p = Interpreter.prototype;
    const steps: FamilyStep[] = [];
    const families: [Family, FamilyStep][] = [
      [Family.Rare, p.rare],
      [Family.Nothing, p.nothing],
      [Family.Mov, p.mov],
      [Family.Extend, p.extend],
      [Family.Lea, p.lea],
      [Family.Xchg, p.xchg],
      [Family.Push, p.pushOperand],
      [Family.Pop, p.popInto],
      [Family.Alu, p.alu],
      [Family.IncDec, p.incDec],
      [Family.Shift, p.shift],
      [Family.Jmp, p.jumpToTarget],
      [Family.Jcc, p.branch],
      [Family.Call, p.callTarget],
      [Family.Ret, p.ret],
      [Family.Service, p.serviceCall],
      [Family.ClearCarry, p.clearCarry],
      [Family.SetCarry, p.setCarry],
      [Family.ClearDirection, p.clearDirection],
      [Family.SetDirection, p.setDirection],
      [Family.Pushad, p.pushad],
      [Family.Popad, p.popad],
      [Family.Pushfd, p.pushfd],
      [Family.Popfd, p.popfd],
      [Family.String, p.string],
    ];
    families.sort((a, b) => a[0] - b[0]);
    for (let k = 0; k < families.length; k++) {
      if (families[k]![0] !== k) throw new Error(`no step for family ${k}`);
      steps.push(families[k]![1]);
    }
    return steps;
  }

  protected nothing(): StepResult {
    return NEXT;
  }

  protected pushOperand(_i: number, ins: Instr, s: State): StepResult {
    const v = this.read(ins.a!, s);
    this.push(s, ins.size === 2 ? TOP : v, ins.size);
    return NEXT;
  }

  protected jumpToTarget(_i: number, ins: Instr, s: State): StepResult {
    return this.jump(ins.target, s);
  }

  protected callTarget(i: number, ins: Instr, s: State, ctx: Ctx, observe: boolean): StepResult {
    return this.call(i, ins.target, s, ctx, observe);
  }

  protected serviceCall(i: number, ins: Instr, s: State, ctx: Ctx, observe: boolean, rootFrame: boolean): StepResult {
    return this.service(i, ins, s, ctx, rootFrame, observe);
  }

  protected clearCarry(i: number, _ins: Instr, s: State, ctx: Ctx, observe: boolean): StepResult {
    this.clobberCf(s, i, ctx, observe, CF0);
    return NEXT;
  }

  protected setCarry(i: number, _ins: Instr, s: State, ctx: Ctx, observe: boolean): StepResult {
    this.clobberCf(s, i, ctx, observe, CF1);
    return NEXT;
  }

  protected clearDirection(_i: number, _ins: Instr, s: State): StepResult {
    s.df = CF0;
    return NEXT;
  }

  protected setDirection(_i: number, _ins: Instr, s: State): StepResult {
    s.df = CF1;
    return NEXT;
  }

  protected pushfd(_i: number, _ins: Instr, s: State): StepResult {
    this.push(s, savedFlags(s.cf, s.pending), 4);
    s.pending = NO_PENDING;
    return NEXT;
  }

  protected mov(i: number, ins: Instr, s: State, ctx: Ctx, observe: boolean): StepResult {
    const v = this.read(ins.b!, s);
    this.write(ins.a!, v, s, i, ctx, observe);
    s.ecxDef = isEcx(ins.a!) ? i : s.ecxDef;
    return NEXT;
  }

  protected extend(i: number, ins: Instr, s: State, ctx: Ctx, observe: boolean): StepResult {
    const src = ins.b!;
    const v = this.read(src, s);
    const size = src.kind === "reg" || src.kind === "mem" ? src.size : 4;
    let out: AbsVal = v.k === K_CONST ? cnst(ins.op === Op.MOVZX ? v.n : signExtend(v.n, size)) : v.k === K_OPAQUE ? OPAQUE : TOP;
    if (size === 4) out = v;
    this.write(ins.a!, out, s, i, ctx, observe);
    s.ecxDef = isEcx(ins.a!) ? i : s.ecxDef;
    return NEXT;
  }

  protected lea(i: number, ins: Instr, s: State, ctx: Ctx, observe: boolean): StepResult {
    const m = ins.b as MemOperand;
    this.touchEcx(m, s);
    this.write(ins.a!, this.address(m, s), s, i, ctx, observe);
    s.ecxDef = isEcx(ins.a!) ? i : s.ecxDef;
    return NEXT;
  }

  protected xchg(i: number, ins: Instr, s: State, ctx: Ctx, observe: boolean): StepResult {
    const a = this.read(ins.a!, s);
    const b = this.read(ins.b!, s);
    this.write(ins.a!, b, s, i, ctx, observe);
    this.write(ins.b!, a, s, i, ctx, observe);
    return NEXT;
  }

  protected popInto(i: number, ins: Instr, s: State, ctx: Ctx, observe: boolean): StepResult {
    const v = this.pop(s, ins.size);
    this.write(ins.a!, ins.size === 2 ? TOP : v, s, i, ctx, observe);
    s.ecxDef = isEcx(ins.a!) ? i : s.ecxDef;
    return NEXT;
  }

  protected incDec(i: number, ins: Instr, s: State, ctx: Ctx, observe: boolean): StepResult {
    const delta = ins.op === Op.INC ? 1 : -1;
    const a = this.read(ins.a!, s);
    const r = a.k === K_CONST ? cnst(mask(a.n + delta, ins.size)) : a.k === K_SYM && ins.size === 4 ? sym(a.base, a.off + delta) : derived(a);
    this.write(ins.a!, r, s, i, ctx, observe);
    s.ecxDef = isEcx(ins.a!) ? -1 : s.ecxDef;
    s.flags = resultFlags(r, ins.size);
    return NEXT;
  }

  protected shift(i: number, ins: Instr, s: State, ctx: Ctx, observe: boolean): StepResult {
    const op = ins.op;
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
    s.ecxDef = isEcx(ins.a!) ? -1 : s.ecxDef;
    this.clobberCf(s, i, ctx, observe, CF_ANY);
    s.flags = op === Op.SHL || op === Op.SHR || op === Op.SAR ? resultFlags(r, ins.size) : null;
    return NEXT;
  }

  protected ret(i: number, ins: Instr, s: State, ctx: Ctx, observe: boolean, rootFrame: boolean): StepResult {
    this.returnFrom(i, 4 + ins.extra, s, ctx, rootFrame, observe);
    s.flags = null;
    return RETURN;
  }

  /** A return at `i` that pops `bytes` (the return address and its operands). */
  protected returnFrom(i: number, bytes: number, s: State, ctx: Ctx, rootFrame: boolean, observe: boolean): void {
    if (observe && rootFrame) this.facts.returns.push({ index: i, ctx, regs: s.shareRegs(), segs: s.shareSegs(), cf: s.cf, df: s.df });
    this.setReg(s, ESP, addConst(s.regs[ESP]!, bytes), false);
  }

  protected pushad(_i: number, _ins: Instr, s: State): StepResult {
    const sp = s.regs[ESP]!;
    s.ecxDef = -1;
    for (let r = 0; r < 8; r++) this.push(s, r === ESP ? sp : s.regs[r]!, 4);
    return NEXT;
  }

  protected popad(_i: number, _ins: Instr, s: State): StepResult {
    // Pushed in register order: popped EDI first; ESP's slot is skipped.
    for (let r = 7; r >= 0; r--) {
      const v = this.pop(s, 4);
      if (r !== ESP) {
        s.setReg(r, v);
        s.written |= 1 << r;
      }
    }
    s.ecxDef = -1;
    if (s.flags && s.flags.aReg >= 0) s.flags = s.flags.withoutRegister();
    return NEXT;
  }

  protected popfd(_i: number, _ins: Instr, s: State): StepResult {
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

  /** LODS, STOS, MOVS, CMPS, SCAS. */
  protected string(i: number, ins: Instr, s: State, ctx: Ctx, observe: boolean): StepResult {
    const op = ins.op;
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

  /** The operations drivers seldom run. */
  protected rare(i: number, ins: Instr, s: State, ctx: Ctx, observe: boolean): StepResult {
    const op = ins.op;
    switch (op) {
      case Op.NEG:
      case Op.NOT: {
        const a = this.read(ins.a!, s);
        const r = a.k === K_CONST ? cnst(mask(op === Op.NEG ? -a.n : ~a.n, ins.size)) : derived(a);
        this.write(ins.a!, r, s, i, ctx, observe);
        if (op === Op.NEG) {
          this.clobberCf(s, i, ctx, observe, a.k === K_CONST ? (a.n === 0 ? CF0 : CF1) : CF_ANY);
          s.flags = resultFlags(r, ins.size);
        }
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
        writeReg(s, op === Op.CDQ ? EDX_32 : DX_16, negative === null ? derived(a) : cnst(negative ? 0xffffffff : 0));
        return NEXT;
      }
      case Op.CWDE:
      case Op.CBW: {
        const a = s.regs[EAX]!;
        this.setReg(s, EAX, a.k === K_CONST ? cnst(op === Op.CWDE ? signExtend(a.n, 2) : (a.n & 0xffff0000) | (signExtend(a.n, 1) & 0xffff)) : derived(a));
        return NEXT;
      }
      case Op.JMP_INDIRECT: {
        const t = this.indirectTarget(ins.a!, s);
        if (t >= 0) return this.jump(t, s);
        if (observe) this.facts.unresolvedJumps.push({ index: i, ctx });
        return this.opaqueReturn(s);
      }
      case Op.LOOP:
      case Op.LOOPZ:
      case Op.LOOPNZ: {
        s.ecxDef = -1;
        const c = s.regs[ECX]!;
        const next = c.k === K_CONST ? cnst(c.n - 1) : derived(c);
        this.setReg(s, ECX, next);
        if (op === Op.LOOP && next.k === K_CONST) return this.jump(next.n !== 0 ? ins.target : i + 1, s);
        return this.fork(ins.target, s.clone(), i + 1, s);
      }
      case Op.JECXZ: {
        s.ecxDef = -1;
        const c = s.regs[ECX]!;
        if (c.k === K_CONST) return this.jump(c.n === 0 ? ins.target : i + 1, s);
        return this.fork(ins.target, s.clone(), i + 1, s);
      }
      case Op.CALL_INDIRECT: {
        const t = this.indirectTarget(ins.a!, s);
        if (t >= 0) return this.call(i, t, s, ctx, observe);
        if (observe) this.facts.unresolvedJumps.push({ index: i, ctx });
        this.opaqueCall(s);
        return NEXT;
      }
      case Op.CMC:
        this.useCf(s);
        s.cf = (s.cf & CF0 ? CF1 : 0) | (s.cf & CF1 ? CF0 : 0) | (s.cf & CF_ANY);
        return NEXT;
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
      default:
        return NEXT;
    }
  }

  protected alu(i: number, ins: Instr, s: State, ctx: Ctx, observe: boolean): StepResult {
    const op = ins.op;
    const size = ins.size;
    const dst = ins.a!;
    const src = ins.b!;
    const same = dst.kind === "reg" && src.kind === "reg" && dst.reg === src.reg && dst.size === src.size && dst.high === src.high;
    if ((op === Op.XOR || op === Op.SUB) && same) return this.zero(i, dst, size, s, ctx, observe);
    if (op === Op.ADC || op === Op.SBB) this.useCf(s);
    const a = this.read(dst, s);
    const b = this.read(src, s);
    const known = a.k === K_CONST && b.k === K_CONST;
    const r = known ? foldAlu(op, mask(a.n, size), mask(b.n, size), size) : aluUnknown(op, a, b, size, same);
    if (op !== Op.CMP && op !== Op.TEST) {
      this.write(dst, r, s, i, ctx, observe);
      s.ecxDef = isEcx(dst) ? -1 : s.ecxDef;
    }
    this.clobberCf(s, i, ctx, observe, known ? foldCarry(op, mask(a.n, size), mask(b.n, size), size) : LOGIC_OP[op] ? CF0 : CF_ANY);
    if (op === Op.CMP || op === Op.SUB) s.flags = new FlagsSource("sub", a, b, size, op === Op.CMP && dst.kind === "reg" && dst.size === 4 ? dst.reg : -1);
    else s.flags = resultFlags(r, size, LOGIC_OP[op] === 1);
    return NEXT;
  }

  /** XOR r, r / SUB r, r: the old value does not matter. */
  protected zero(i: number, dst: Operand, size: number, s: State, ctx: Ctx, observe: boolean): StepResult {
    this.write(dst, ZERO, s, i, ctx, observe);
    s.ecxDef = isEcx(dst) ? i : s.ecxDef;
    this.clobberCf(s, i, ctx, observe, CF0);
    s.flags = resultFlags(ZERO, size);
    return NEXT;
  }

  protected branch(i: number, ins: Instr, s: State): StepResult {
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
      if (eq.regs[f.aReg]!.k !== K_CONST) eq.setReg(f.aReg, f.b);
    }
    if (decided === true) return this.jump(ins.target, taken);
    if (decided === false) return this.jump(i + 1, fall);
    return this.fork(ins.target, taken, i + 1, fall);
  }

  protected jump(target: number, s: State): StepResult {
    this.firstTarget = target;
    this.firstState = s;
    return JUMP;
  }

  protected fork(first: number, firstState: State, second: number, secondState: State): StepResult {
    this.firstTarget = first;
    this.firstState = firstState;
    this.secondTarget = second;
    this.secondState = secondState;
    return FORK;
  }

  /** A call whose target lint cannot see: everything but ESP and EBP becomes opaque. */
  protected opaqueCall(s: State): void {
    for (let r = 0; r < 8; r++) if (r !== ESP && r !== EBP) s.setReg(r, OPAQUE);
    s.cf = CF_ANY;
    s.pending = NO_PENDING;
    s.flags = null;
    s.written = ALL_WRITTEN;
    s.ecxDef = -1;
  }

  protected opaqueReturn(s: State): StepResult {
    const o = opaqueExit(s);
    s.adoptRegisters(o);
    s.cf = o.cf;
    s.pending = o.pending;
    s.written = o.written;
    return RETURN;
  }

  protected read(o: Operand, s: State): AbsVal {
    switch (o.kind) {
      case "imm":
        return cnst(o.value);
      case "reg":
        s.ecxDef = o.reg === ECX ? -1 : s.ecxDef;
        return readReg(s, o);
      case "mem":
        this.touchEcx(o, s);
        return this.load(o, s);
    }
  }

  protected touchEcx(m: MemOperand, s: State): void {
    s.ecxDef = m.base === ECX || m.index === ECX ? -1 : s.ecxDef;
  }

  protected address(m: MemOperand, s: State): AbsVal {
    // The displacement added straight to the base: one value made instead of two.
    let v: AbsVal = m.base >= 0 ? addConst(s.regs[m.base]!, m.disp >>> 0) : cnst(m.disp);
    if (m.index >= 0) {
      const x = s.regs[m.index]!;
      v = x.k === K_CONST ? addConst(v, Math.imul(x.n, m.scale)) : x.k === K_OPAQUE ? OPAQUE : TOP;
    }
    return v;
  }

  protected load(m: MemOperand, s: State): AbsVal {
    if (m.base < 0 && m.index < 0) return m.size === 4 ? load(m.disp >>> 0) : TOP;
    const addr = this.address(m, s);
    if (addr.k === K_CONST) return m.size === 4 ? load(addr.n) : TOP;
    if (addr.k === K_SYM && addr.base === "SP") return (m.size === 4 ? s.slots.get(addr.off) : undefined) ?? TOP;
    return addr.k === K_OPAQUE ? OPAQUE : TOP;
  }

  protected write(o: Operand, v: AbsVal, s: State, i: number, ctx: Ctx, observe: boolean): void {
    if (o.kind === "reg") {
      writeReg(s, o, v);
      return;
    }
    if (o.kind !== "mem") return;
    this.touchEcx(o, s);
    // A fixed address (most stores) is a number: no value is made for it.
    const addr = o.base < 0 && o.index < 0 ? null : this.address(o, s);
    if (addr === null || addr.k === K_CONST) {
      // cnst makes every 0 the same value.
      if (observe && o.size === 4 && (v.k === K_HANDLE || v === ZERO)) this.facts.stores.push({ index: i, addr: addr === null ? o.disp >>> 0 : addr.n, value: v, ctx });
    } else if (addr.k === K_SYM && addr.base === "SP") s.setSlot(addr.off, o.size === 4 ? v : TOP);
  }

  protected setReg(s: State, r: number, v: AbsVal, written = true): void {
    s.setReg(r, v);
    if (written) s.written |= 1 << r;
    s.forgetCompared(r);
  }

  protected push(s: State, v: AbsVal, size: number): void {
    const sp = addConst(s.regs[ESP]!, -size);
    s.setReg(ESP, sp);
    if (sp.k === K_SYM && sp.base === "SP") s.setSlot(sp.off, v);
  }

  protected pop(s: State, size: number): AbsVal {
    const sp = s.regs[ESP]!;
    const v = sp.k === K_SYM && sp.base === "SP" ? (s.slots.get(sp.off) ?? TOP) : sp.k === K_OPAQUE ? OPAQUE : TOP;
    s.setReg(ESP, addConst(sp, size));
    return v;
  }

  /** Target instruction of an indirect jump or call whose operand value is known (a jump table). */
  protected indirectTarget(o: Operand, s: State): number {
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

  /** An instruction reads CF: pending carry results count as tested. */
  protected useCf(s: State): void {
    s.pending = NO_PENDING;
  }

  /** An instruction sets CF without reading it: a pending result is lost here. */
  protected clobberCf(s: State, i: number, ctx: Ctx, observe: boolean, cf: number): void {
    const pending = s.pending;
    if (pending.length && observe) for (let k = 0; k < pending.length; k++) this.facts.carryLosses.push({ id: pending[k]!, at: i, ctx });
    s.pending = NO_PENDING;
    s.cf = cf;
  }

  /** Instructions with a segment-register operand: the IR cannot hold them, so their source is read. */
  protected findSegmentInstructions(): void {
    const traps = this.p.scan.traps;
    for (let t = 0; t < traps.length; t++) {
      const i = traps[t]!;
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

  protected trap(i: number, s: State, ctx: Ctx, observe: boolean): void {
    const seg = this.segInstrs.get(i);
    if (!seg) {
      // An instruction that did not assemble: its effects are unknown.
      const first = this.p.items[i]!.operands[0];
      const reg = first && first.k === "name" ? registerByName(first.name) : undefined;
      if (reg) s.setReg(reg.reg, OPAQUE);
      return;
    }
    const k = SEGS.indexOf(seg.seg as (typeof SEGS)[number]);
    const setSeg = (v: AbsVal): void => {
      s.setSeg(k, v);
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

// ------------------------------------------------------------------ helpers

/** AND, OR, XOR, TEST by opcode: they clear CF and OF. */
const LOGIC_OP = new Uint8Array(256);
for (const op of [Op.AND, Op.OR, Op.XOR, Op.TEST]) LOGIC_OP[op] = 1;

const ZERO = cnst(0);

/** The result of an ALU operation on two known values (masked to the operand size). */
function foldAlu(op: number, x: number, y: number, size: number): AbsVal {
  switch (op) {
    case Op.ADD:
      return cnst(mask(x + y, size));
    case Op.SUB:
    case Op.CMP:
      return cnst(mask(x - y, size));
    case Op.AND:
    case Op.TEST:
      return cnst(x & y);
    case Op.OR:
      return cnst(x | y);
    case Op.XOR:
      return cnst(x ^ y);
    default:
      return TOP;
  }
}

/** CF after an ALU operation on two known values (masked to the operand size). */
function foldCarry(op: number, x: number, y: number, size: number): number {
  switch (op) {
    case Op.ADD:
      return x + y > mask(-1, size) ? CF1 : CF0;
    case Op.SUB:
    case Op.CMP:
      return x < y ? CF1 : CF0;
    case Op.AND:
    case Op.TEST:
    case Op.OR:
    case Op.XOR:
      return CF0;
    default:
      return CF_ANY;
  }
}

/** The result of an ALU operation when one of its operands is not a known number. */
function aluUnknown(op: number, a: AbsVal, b: AbsVal, size: number, same: boolean): AbsVal {
  if (size === 4 && b.k === K_CONST && a.k === K_SYM && (op === Op.ADD || op === Op.SUB)) return sym(a.base, a.off + (op === Op.ADD ? b.n | 0 : -(b.n | 0)));
  if (op === Op.OR && b.k === K_CONST && b.n === 0) return a;
  if (op === Op.AND && b.k === K_CONST && mask(b.n, size) === mask(-1, size)) return a;
  if ((op === Op.OR || op === Op.AND) && same) return a;
  return a.k === K_OPAQUE || b.k === K_OPAQUE ? OPAQUE : TOP;
}

/** What CDQ and CWD write. */
const EDX_32: RegOperand = { kind: "reg", reg: Reg.EDX, size: 4, high: false };
const DX_16: RegOperand = { kind: "reg", reg: Reg.EDX, size: 2, high: false };

function mask(n: number, size: number): number {
  return size === 4 ? n >>> 0 : size === 2 ? n & 0xffff : n & 0xff;
}

function signExtend(n: number, size: number): number {
  return size === 4 ? n | 0 : size === 2 ? (n << 16) >> 16 : (n << 24) >> 24;
}

function derived(a: AbsVal): AbsVal {
  return a.k === K_OPAQUE ? OPAQUE : TOP;
}

export function addConst(v: AbsVal, n: number): AbsVal {
  if (v.k === K_CONST) return cnst(v.n + n);
  if (v.k === K_SYM) return sym(v.base, v.off + n);
  return derived(v);
}

/**
 * Whether an operand is ECX. Where it decides ECX's definition, the definition is stored on every
 * path (`s.ecxDef = isEcx(o) ? i : s.ecxDef`): many runs meet ECX late, and compiled code that reaches
 * a store it never saw made is thrown away and compiled again.
 */
function isEcx(o: Operand): boolean {
  return o.kind === "reg" && o.reg === ECX;
}

function readReg(s: State, o: RegOperand): AbsVal {
  const v = s.regs[o.reg]!;
  if (o.size === 4) return v;
  if (v.k === K_CONST) return cnst(o.size === 2 ? v.n & 0xffff : o.high ? (v.n >>> 8) & 0xff : v.n & 0xff);
  return derived(v);
}

export function writeReg(s: State, o: RegOperand, v: AbsVal): void {
  s.written |= 1 << o.reg;
  s.forgetCompared(o.reg);
  if (o.size === 4) {
    s.setReg(o.reg, v);
    return;
  }
  const old = s.regs[o.reg]!;
  if (old.k === K_CONST && v.k === K_CONST) {
    const n = o.size === 2 ? (old.n & 0xffff0000) | (v.n & 0xffff) : o.high ? (old.n & 0xffff00ff) | ((v.n & 0xff) << 8) : (old.n & 0xffffff00) | (v.n & 0xff);
    s.setReg(o.reg, cnst(n));
  } else s.setReg(o.reg, old.k === K_OPAQUE || v.k === K_OPAQUE ? OPAQUE : TOP);
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

export function opaqueExit(entry: State): State {
  const regs = entry.regs.slice();
  for (let r = 0; r < regs.length; r++) if (r !== EBP) regs[r] = r === ESP ? addConst(regs[r]!, 4) : OPAQUE;
  return new State(regs, entry.segs.slice(), CF_ANY, NO_PENDING, CF_ANY, null, NO_SLOTS, ALL_WRITTEN, -1);
}
