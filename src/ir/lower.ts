// The second pass: instruction items → IR instructions with resolved operands; data values written
// into the image; DDBs filled in. Every label is known by now.
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Expr } from "../front/ast.js";
import { Evaluator, FrontError, fail, isStackOverflow, tooDeep, type Value } from "../front/evaluate.js";
import type { InstrItem } from "../front/program.js";
import type { Assembler } from "../front/assembler.js";
import { mnemonicSpec, type MnemonicSpec } from "./mnemonics.js";
import {
  Layout,
  Op,
  Reg,
  Rep,
  type DeviceDecl,
  type ImmOperand,
  type Instr,
  type IrProgram,
  type MemOperand,
  type Operand,
  type ProcInfo,
  type RegOperand,
  type Size,
  type SourceSpan,
  type SymbolInfo,
} from "./types.js";
import { lowerDevice } from "./lower-device.js";

export interface LowerResult {
  readonly program: IrProgram;
  readonly diagnostics: Diagnostic[];
}

export function lowerProgram(asm: Assembler): LowerResult {
  const diagnostics: Diagnostic[] = [];
  const guard = <T>(f: () => T, fallback: T, span: SourceSpan): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof FrontError) {
        diagnostics.push(e.diagnostic);
        return fallback;
      }
      if (isStackOverflow(e)) {
        diagnostics.push(tooDeep(span));
        return fallback;
      }
      throw e;
    }
  };
  const parse = (span: SourceSpan) => (text: string): Expr | null => asm.parseExpression(text, span);

  for (const item of asm.dataItems) {
    guard(() => asm.data.write(item.address, item.elementSize, item.operands, item.struc, evaluatorFor(asm, item.unit, item.anonBefore), parse(item.span)), undefined, item.span);
  }
  const devices: DeviceDecl[] = [];
  for (const d of asm.devices) {
    const decl = guard(() => lowerDevice(asm, d, evaluatorFor(asm, d.unit, d.unit.anonymous.length)), null, d.span);
    if (decl) devices.push(decl);
  }
  const instrs: Instr[] = [];
  const spans: SourceSpan[] = [];
  for (const item of asm.instrs) {
    const found = diagnostics.length;
    const instr = guard(() => lowerInstr(asm, item), null, item.span);
    // An instruction from a macro expansion: say which, as the front end's diagnostics do.
    if (item.origin.length > 0) for (let i = found; i < diagnostics.length; i++) diagnostics[i] = { ...diagnostics[i]!, notes: [...(diagnostics[i]!.notes ?? []), ...item.origin] };
    instrs.push(instr ?? trap(item.mnemonic, "this instruction did not assemble"));
    spans.push(item.span);
  }
  const program: IrProgram = {
    instrs,
    spans,
    codeBase: Layout.CODE_BASE,
    data: { base: asm.data.base, bytes: asm.data.bytes().slice() },
    symbols: collectSymbols(asm),
    procs: asm.procs.map((p): ProcInfo => ({ name: p.name, start: p.start, end: p.end < 0 ? instrs.length : p.end, options: p.options, segment: p.segment, span: p.span })),
    devices,
    entry: asm.entries[0]?.index ?? -1,
    entries: asm.entries,
    sources: asm.sources,
  };
  return { program, diagnostics };
}

function collectSymbols(asm: Assembler): Map<string, SymbolInfo> {
  const out = new Map<string, SymbolInfo>();
  for (const unit of asm.units) {
    for (const s of unit.symbols.values()) {
      const key = s.name.toUpperCase();
      if (out.has(key)) continue;
      let info: SymbolInfo | null = null;
      if (s.kind === "code") info = { name: s.name, kind: "code", value: Layout.CODE_BASE + s.index, size: 0, span: s.span };
      else if (s.kind === "data") info = { name: s.name, kind: "data", value: s.address, size: s.size, span: s.span };
      else if (s.kind === "equate" && s.span) info = { name: s.name, kind: "equate", value: s.value, size: 0, span: s.span };
      if (info) out.set(key, info);
    }
  }
  return out;
}

export function evaluatorFor(asm: Assembler, unit: InstrItem["unit"], anonBefore: number): Evaluator {
  return new Evaluator(asm.evalContext(unit, anonBefore));
}

function trap(mnemonic: string, why: string): Instr {
  return { op: Op.TRAP, size: 4, a: null, b: null, c: null, target: -1, extra: 0, text: why, mnemonic };
}

function instr(op: Op, size: Size, mnemonic: string, a: Operand | null = null, b: Operand | null = null, c: Operand | null = null, target = -1, extra = 0, text: string | null = null): Instr {
  return { op, size, a, b, c, target, extra, text, mnemonic };
}

function lowerInstr(asm: Assembler, item: InstrItem): Instr {
  if (item.synthetic) {
    const s = item.synthetic;
    return instr(s.op, 4, item.mnemonic, null, null, null, s.target, s.extra, s.text);
  }
  const spec = mnemonicSpec(item.mnemonic)!;
  const ev = evaluatorFor(asm, item.unit, item.anonBefore);
  const ops = item.operands;
  for (const o of ops) {
    const q = o && findUninit(o);
    if (q) fail(diag("bad-expression", q.span, "`?` (an uninitialised value) is only allowed in data definitions"));
  }
  const values = ops.map((o) => (o ? ev.value(o) : null));
  const L = new Lowerer(item, spec, ops, values);
  return L.lower();
}

/** A `?` anywhere in an instruction operand. */
function findUninit(e: Expr): Expr | null {
  switch (e.k) {
    case "name":
      return e.name === "?" ? e : null;
    case "unary":
      return findUninit(e.arg);
    case "binary":
      return findUninit(e.left) ?? findUninit(e.right);
    case "index":
      return (e.left && findUninit(e.left)) ?? findUninit(e.inner);
    case "field":
      return findUninit(e.left);
    case "ptr":
      return findUninit(e.arg);
    case "seg":
      return findUninit(e.arg);
    default:
      return null;
  }
}

class Lowerer {
  constructor(
    private readonly item: InstrItem,
    private readonly spec: MnemonicSpec,
    private readonly exprs: readonly (Expr | null)[],
    private readonly values: readonly (Value | null)[],
  ) {}

  private get span(): SourceSpan {
    return this.item.span;
  }

  private count(n: number | readonly number[]): void {
    const ok = typeof n === "number" ? [n] : n;
    const got = this.values.length;
    if (this.values.some((v) => v === null)) fail(diag("bad-operand", this.span, `\`${this.item.mnemonic}\` has an empty operand`));
    if (!ok.includes(got)) {
      const want = ok.map(String).join(" or ");
      fail(diag("bad-operand", this.span, `\`${this.item.mnemonic}\` takes ${want} operand${ok.length === 1 && ok[0] === 1 ? "" : "s"}, not ${got}`));
    }
  }

  private v(i: number): Value {
    return this.values[i]!;
  }

  private espan(i: number): SourceSpan {
    return this.exprs[i]?.span ?? this.span;
  }

  private kind(v: Value): "reg" | "mem" | "imm" {
    if (v.segReg) fail(diag("bad-operand", this.span, `segment register \`${v.segReg}\` is not simulated (the machine is a flat 32-bit model)`));
    if (v.reg && !v.mem && v.c === 0 && !v.base && !v.index) return "reg";
    if (v.reg || ((v.base || v.index) && !v.mem)) fail(diag("bad-operand", this.span, "a register can be used in an address only inside brackets, e.g. [esi+4]"));
    if (v.mem) return "mem";
    return "imm";
  }

  private reg(v: Value): RegOperand {
    const r = v.reg!;
    return { kind: "reg", reg: r.reg, size: r.size, high: r.high };
  }

  private mem(v: Value, size: number, i: number): MemOperand {
    if (size !== 1 && size !== 2 && size !== 4) {
      if (size === 0) fail(diag("operand-size", this.espan(i), "the size of this memory operand is not known", { help: "write `byte ptr`, `word ptr` or `dword ptr` before it" }));
      fail(diag("operand-size", this.espan(i), `a ${size}-byte memory operand cannot be used here`));
    }
    const scale = v.index ? v.scale : 1;
    return { kind: "mem", size, base: v.base ? v.base.reg : -1, index: v.index ? v.index.reg : -1, scale: scale as 1 | 2 | 4 | 8, disp: v.c | 0 };
  }

  private imm(v: Value, size: number, i: number): ImmOperand {
    const n = v.c;
    const max = size === 1 ? 0xff : size === 2 ? 0xffff : 0xffffffff;
    const min = size === 1 ? -0x80 : size === 2 ? -0x8000 : -0x80000000;
    if (n > max || n < min) fail(diag("value-truncated", this.espan(i), `${n} does not fit in ${size * 8} bits`, { severity: "error", help: "use a wider operand or a smaller value" }));
    return { kind: "imm", value: n | 0 };
  }

  /** Lowers r/m (as destination or source) with a size, or an immediate when allowed. */
  private operand(i: number, size: number, allowImm: boolean): Operand {
    const v = this.v(i);
    const k = this.kind(v);
    if (k === "reg") return this.reg(v);
    if (k === "mem") return this.mem(v, v.size || size, i);
    if (!allowImm) fail(diag("bad-operand", this.espan(i), "an immediate value cannot be used here", { help: this.item.mnemonic === "mov" || i === 0 ? "the destination must be a register or memory" : undefined }));
    return this.imm(v, size || 4, i);
  }

  private sizeOf(v: Value): number {
    const k = this.kind(v);
    if (k === "reg") return v.reg!.size;
    if (k === "mem") return v.size;
    return 0;
  }

  private checkSizes(a: number, b: number): number {
    if (a && b && a !== b) fail(diag("operand-size", this.span, `operand sizes differ: ${a * 8}-bit and ${b * 8}-bit`, { help: "use registers of the same size, or a `ptr` of the right size" }));
    const size = a || b;
    if (!size) fail(diag("operand-size", this.span, "the operand size is not known", { help: "write `byte ptr`, `word ptr` or `dword ptr` before the memory operand" }));
    return size;
  }

  private targetIndex(i: number): number {
    const v = this.v(i);
    if (v.codeIndex < 0 || v.mem) fail(diag("bad-jump-target", this.espan(i), "this is not a code label", { help: "jump to a label that stands before an instruction, or to a procedure" }));
    return v.codeIndex;
  }

  lower(): Instr {
    const s = this.spec;
    const m = this.item.mnemonic;
    switch (s.form) {
      case "none":
        this.count(0);
        return instr(s.op, (s.size || 4) as Size, m);
      case "alu":
      case "mov": {
        this.count(2);
        const ka = this.kind(this.v(0));
        const kb = this.kind(this.v(1));
        if (ka === "imm") fail(diag("bad-operand", this.espan(0), "the destination cannot be an immediate value", { help: "the destination must be a register or memory" }));
        if (ka === "mem" && kb === "mem") fail(diag("bad-operand", this.span, "x86 has no form with two memory operands", { help: "load one of them into a register first" }));
        const size = this.checkSizes(this.sizeOf(this.v(0)), this.sizeOf(this.v(1)));
        return instr(s.op, size as Size, m, this.operand(0, size, false), this.operand(1, size, true));
      }
      case "movx": {
        this.count(2);
        if (this.kind(this.v(0)) !== "reg") fail(diag("bad-operand", this.espan(0), `the destination of ${m} must be a register`));
        const dst = this.reg(this.v(0));
        const srcSize = this.sizeOf(this.v(1));
        if (this.kind(this.v(1)) === "imm") fail(diag("bad-operand", this.espan(1), `${m} needs a register or memory source`));
        if (!srcSize) fail(diag("operand-size", this.espan(1), "the size of this memory operand is not known", { help: "write `byte ptr` or `word ptr`" }));
        if (srcSize >= dst.size) fail(diag("operand-size", this.span, `${m} widens: the source must be smaller than the ${dst.size * 8}-bit destination`));
        return instr(s.op, dst.size, m, dst, this.operand(1, srcSize, false));
      }
      case "lea": {
        this.count(2);
        if (this.kind(this.v(0)) !== "reg" || this.v(0).reg!.size === 1) fail(diag("bad-operand", this.espan(0), "lea needs a 16- or 32-bit register destination"));
        if (this.kind(this.v(1)) !== "mem") fail(diag("bad-operand", this.espan(1), "lea needs a memory operand, e.g. [esi+4]"));
        const dst = this.reg(this.v(0));
        return instr(s.op, dst.size, m, dst, this.mem(this.v(1), 4, 1));
      }
      case "xchg": {
        this.count(2);
        const ka = this.kind(this.v(0));
        const kb = this.kind(this.v(1));
        if (ka === "imm" || kb === "imm" || (ka === "mem" && kb === "mem")) fail(diag("bad-operand", this.span, "xchg needs a register and a register or memory operand"));
        const size = this.checkSizes(this.sizeOf(this.v(0)), this.sizeOf(this.v(1)));
        return instr(s.op, size as Size, m, this.operand(0, size, false), this.operand(1, size, false));
      }
      case "push":
      case "pop": {
        this.count(1);
        const v = this.v(0);
        const k = this.kind(v);
        if (k === "imm") {
          if (s.form === "pop") fail(diag("bad-operand", this.espan(0), "pop needs a register or memory destination"));
          const size = v.size === 2 ? 2 : 4;
          return instr(s.op, size, m, this.imm(v, size === 2 ? 2 : 4, 0));
        }
        const size = this.sizeOf(v) || 4;
        if (size === 1) fail(diag("operand-size", this.espan(0), `${m} cannot move a byte; use a 16- or 32-bit operand`));
        return instr(s.op, size as Size, m, this.operand(0, size, false));
      }
      case "unary": {
        this.count(1);
        if (this.kind(this.v(0)) === "imm") fail(diag("bad-operand", this.espan(0), `${m} needs a register or memory operand`));
        const size = this.checkSizes(this.sizeOf(this.v(0)), 0);
        return instr(s.op, size as Size, m, this.operand(0, size, false));
      }
      case "imul": {
        this.count([1, 2, 3]);
        if (this.values.length === 1) {
          if (this.kind(this.v(0)) === "imm") fail(diag("bad-operand", this.espan(0), "one-operand imul needs a register or memory operand"));
          const size = this.checkSizes(this.sizeOf(this.v(0)), 0);
          return instr(Op.IMUL1, size as Size, m, this.operand(0, size, false));
        }
        if (this.kind(this.v(0)) !== "reg" || this.v(0).reg!.size === 1) fail(diag("bad-operand", this.espan(0), "imul with two or three operands needs a 16- or 32-bit register destination"));
        const dst = this.reg(this.v(0));
        if (this.values.length === 2) {
          if (this.kind(this.v(1)) === "imm") return instr(Op.IMUL3, dst.size, m, dst, dst, this.imm(this.v(1), dst.size, 1));
          this.checkSizes(dst.size, this.sizeOf(this.v(1)));
          return instr(Op.IMUL2, dst.size, m, dst, this.operand(1, dst.size, false));
        }
        if (this.kind(this.v(2)) !== "imm") fail(diag("bad-operand", this.espan(2), "the third operand of imul must be an immediate"));
        this.checkSizes(dst.size, this.sizeOf(this.v(1)));
        return instr(Op.IMUL3, dst.size, m, dst, this.operand(1, dst.size, false), this.imm(this.v(2), dst.size, 2));
      }
      case "shift": {
        this.count([1, 2]);
        if (this.kind(this.v(0)) === "imm") fail(diag("bad-operand", this.espan(0), `${m} needs a register or memory operand to shift`));
        const size = this.checkSizes(this.sizeOf(this.v(0)), 0);
        const count: Operand = this.values.length === 1 ? { kind: "imm", value: 1 } : this.shiftCount(1);
        return instr(s.op, size as Size, m, this.operand(0, size, false), count);
      }
      case "shd": {
        this.count(3);
        const size = this.checkSizes(this.sizeOf(this.v(0)), this.sizeOf(this.v(1)));
        if (size === 1 || this.kind(this.v(1)) !== "reg") fail(diag("bad-operand", this.span, `${m} needs a 16/32-bit r/m, a register and a count`));
        return instr(s.op, size as Size, m, this.operand(0, size, false), this.reg(this.v(1)), this.shiftCount(2));
      }
      case "jmp":
      case "call": {
        this.count(1);
        const v = this.v(0);
        if (v.codeIndex >= 0 && !v.mem) return instr(s.op, 4, m, null, null, null, v.codeIndex);
        const k = this.kind(v);
        if (k === "imm") fail(diag("bad-jump-target", this.espan(0), "this is not a code label", { help: "jump to a label before an instruction, or through a register or memory holding a code address" }));
        if (k === "reg" && v.reg!.size !== 4) fail(diag("operand-size", this.espan(0), `an indirect ${m} needs a 32-bit register`));
        return instr(s.form === "jmp" ? Op.JMP_INDIRECT : Op.CALL_INDIRECT, 4, m, this.operand(0, 4, false));
      }
      case "jcc":
      case "loop":
        this.count(1);
        return instr(s.op, 4, m, null, null, null, this.targetIndex(0), s.cond === -1 ? 0 : s.cond);
      case "ret": {
        this.count([0, 1]);
        const n = this.values.length ? this.constantOperand(0, 0xffff) : 0;
        return instr(s.op, 4, m, null, null, null, -1, n);
      }
      case "string": {
        const rep = this.item.prefix === "rep" ? Rep.REP : this.item.prefix === "repe" ? Rep.REPE : this.item.prefix === "repne" ? Rep.REPNE : Rep.NONE;
        return instr(s.op, s.size as Size, m, null, null, null, -1, rep);
      }
      case "setcc": {
        this.count(1);
        const size = this.checkSizes(this.sizeOf(this.v(0)), 1);
        if (size !== 1) fail(diag("operand-size", this.espan(0), `${m} writes a byte`));
        return instr(s.op, 1, m, this.operand(0, 1, false), null, null, -1, s.cond as number);
      }
      case "cmovcc":
      case "bscan": {
        this.count(2);
        if (this.kind(this.v(0)) !== "reg" || this.v(0).reg!.size === 1) fail(diag("bad-operand", this.espan(0), `${m} needs a 16- or 32-bit register destination`));
        const dst = this.reg(this.v(0));
        this.checkSizes(dst.size, this.sizeOf(this.v(1)));
        return instr(s.op, dst.size, m, dst, this.operand(1, dst.size, false), null, -1, s.cond === -1 ? 0 : s.cond);
      }
      case "bt": {
        this.count(2);
        const size = this.checkSizes(this.sizeOf(this.v(0)), this.kind(this.v(1)) === "reg" ? this.v(1).reg!.size : 0);
        if (size === 1) fail(diag("operand-size", this.span, `${m} works on 16- or 32-bit operands`));
        const bit = this.kind(this.v(1)) === "imm" ? this.imm(this.v(1), 1, 1) : this.operand(1, size, false);
        return instr(s.op, size as Size, m, this.operand(0, size, false), bit);
      }
      case "bswap":
        this.count(1);
        if (this.kind(this.v(0)) !== "reg" || this.v(0).reg!.size !== 4) fail(diag("bad-operand", this.espan(0), "bswap needs a 32-bit register"));
        return instr(s.op, 4, m, this.reg(this.v(0)));
      case "xadd": {
        this.count(2);
        if (this.kind(this.v(1)) !== "reg") fail(diag("bad-operand", this.espan(1), `the second operand of ${m} must be a register`));
        const size = this.checkSizes(this.sizeOf(this.v(0)), this.sizeOf(this.v(1)));
        return instr(s.op, size as Size, m, this.operand(0, size, false), this.reg(this.v(1)));
      }
      case "enter":
        this.count(2);
        return instr(s.op, 4, m, { kind: "imm", value: this.constantOperand(0, 0xffff) }, { kind: "imm", value: this.constantOperand(1, 0xff) });
      case "int":
        this.count(1);
        return instr(s.op, 4, m, null, null, null, -1, this.constantOperand(0, 0xff));
    }
  }

  private shiftCount(i: number): Operand {
    const v = this.v(i);
    const k = this.kind(v);
    if (k === "reg") {
      if (v.reg!.reg !== Reg.ECX || v.reg!.size !== 1 || v.reg!.high) fail(diag("bad-operand", this.espan(i), "a shift count in a register must be CL"));
      return this.reg(v);
    }
    if (k === "mem") fail(diag("bad-operand", this.espan(i), "a shift count must be an immediate or CL"));
    return this.imm(v, 1, i);
  }

  private constantOperand(i: number, max: number): number {
    const v = this.v(i);
    if (this.kind(v) !== "imm") fail(diag("bad-operand", this.espan(i), "a constant is needed here"));
    if (v.c < 0 || v.c > max) fail(diag("value-truncated", this.espan(i), `${v.c} is out of range (0 to ${max})`, { severity: "error" }));
    return v.c;
  }
}
