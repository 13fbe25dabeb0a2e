// One instruction item → one IR instruction: the operands' values checked against the mnemonic's
// form and turned into register, memory and immediate operands.
import { diag } from "../diagnostics/diagnostic.js";
import type { Expr } from "../front/ast.js";
import { constant, fail, type Evaluator, type Value } from "../front/evaluate.js";
import type { InstrItem } from "../front/program.js";
import { REGISTER_SPELLINGS, type RegisterRef } from "../front/registers.js";
import { MNEMONICS, mnemonicSpec, type MnemonicSpec } from "./mnemonics.js";
import { Op, Reg, Rep, type ImmOperand, type Instr, type MemOperand, type Operand, type RegOperand, type Size, type SourceSpan } from "./types.js";

export function instr(op: Op, size: Size, mnemonic: string, a: Operand | null = null, b: Operand | null = null, c: Operand | null = null, target = -1, extra = 0, text: string | null = null): Instr {
  return { op, size, a, b, c, target, extra, text, mnemonic };
}

/** Register operands are immutable, so every use of a register shares one: 32-bit registers
 *  first, then 16-bit, the low bytes and the high bytes, each in encoding order. */
const REG_OPERANDS: readonly RegOperand[] = [4, 2, 1, 1].flatMap((size, group) =>
  [0, 1, 2, 3, 4, 5, 6, 7].map((reg): RegOperand => ({ kind: "reg", reg: reg as Reg, size: size as Size, high: group === 3 })),
);

function regOperand(r: RegisterRef): RegOperand {
  const group = r.size === 4 ? 0 : r.size === 2 ? 1 : r.high ? 3 : 2;
  return REG_OPERANDS[group * 8 + r.reg]!;
}

/** Instructions without operands or a jump target (`ret`, `clc`, `popad`, a service call) are a
 *  third of a typical VxD's, and repeat: the IR is read-only (the machine decodes its own copy),
 *  so each distinct one is made once. Found by its mnemonic, or a service call by its service. */
class OperandlessInstrs {
  private readonly byKey = new Map<string | number, Instr>();

  get(key: string | number, op: Op, size: Size, mnemonic: string, extra: number, text: string | null = null): Instr {
    const hit = this.byKey.get(key);
    if (hit && hit.op === op && hit.size === size && hit.extra === extra && hit.text === text && hit.mnemonic === mnemonic) return hit;
    const made = instr(op, size, mnemonic, null, null, null, -1, extra, text);
    if (!hit) this.byKey.set(key, made);
    return made;
  }
}

/** The value of an operand that is a bare register name (the commonest operand), by its usual
 *  spellings: shared, since nothing here changes an operand's value once it is worked out. */
const REGISTER_VALUES = new Map<string, Value>();
for (const [spelling, reg] of REGISTER_SPELLINGS) {
  const v = constant(0);
  v.reg = reg;
  REGISTER_VALUES.set(spelling, v);
}

/** The count of a one-operand shift. */
const IMM_ONE: ImmOperand = { kind: "imm", value: 1 };

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

/** Lowers one instruction item at a time. One instance serves a whole program: its fields are
 *  reset for each item, so lowering allocates only the IR itself. */
export class InstrLowerer {
  private item!: InstrItem;
  private exprs: readonly (Expr | null)[] = [];
  /** The operands' values; only the first `operandCount` belong to the current item. */
  private readonly values: (Value | null)[] = [];
  private operandCount = 0;
  private readonly operandless = new OperandlessInstrs();

  lower(item: InstrItem, ev: Evaluator): Instr {
    const s = item.synthetic;
    if (s) {
      if (s.target === -1) return this.operandless.get(s.text ?? s.extra, s.op, 4, item.mnemonic, s.extra, s.text);
      return instr(s.op, 4, item.mnemonic, null, null, null, s.target, s.extra, s.text);
    }
    const ops = item.operands;
    for (let i = 0; i < ops.length; i++) {
      const o = ops[i];
      const q = o ? findUninit(o) : null;
      if (q) fail(diag("bad-expression", q.span, "`?` (an uninitialised value) is only allowed in data definitions"));
    }
    const values = this.values;
    for (let i = 0; i < ops.length; i++) {
      const o = ops[i];
      values[i] = o === null ? null : (o.k === "name" && REGISTER_VALUES.get(o.name)) || ev.value(o);
    }
    this.operandCount = ops.length;
    this.item = item;
    this.exprs = ops;
    return this.lowerForm(MNEMONICS.get(item.mnemonic) ?? mnemonicSpec(item.mnemonic)!);
  }

  private get span(): SourceSpan {
    return this.item.span;
  }

  /** Checks that there are exactly `n` operands, none of them empty. */
  private count(n: number): void {
    if (this.operandCount !== n || this.hasEmptyOperand()) this.countFailed([n]);
  }

  /** Checks that there are `min` to `max` operands, none of them empty. */
  private countBetween(min: number, max: number): void {
    const got = this.operandCount;
    if (got < min || got > max || this.hasEmptyOperand()) {
      const ok: number[] = [];
      for (let n = min; n <= max; n++) ok.push(n);
      this.countFailed(ok);
    }
  }

  private hasEmptyOperand(): boolean {
    for (let i = 0; i < this.operandCount; i++) if (this.values[i] === null) return true;
    return false;
  }

  private countFailed(ok: readonly number[]): never {
    const got = this.operandCount;
    if (this.hasEmptyOperand()) fail(diag("bad-operand", this.span, `\`${this.item.mnemonic}\` has an empty operand`));
    const want = ok.map(String).join(" or ");
    fail(diag("bad-operand", this.span, `\`${this.item.mnemonic}\` takes ${want} operand${ok.length === 1 && ok[0] === 1 ? "" : "s"}, not ${got}`));
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
    return regOperand(v.reg!);
  }

  private mem(v: Value, size: number, i: number): MemOperand {
    if (size !== 1 && size !== 2 && size !== 4) {
      if (size === 0) fail(diag("operand-size", this.espan(i), "the size of this memory operand is not known", { help: "write `byte ptr`, `word ptr` or `dword ptr` before it" }));
      fail(diag("operand-size", this.espan(i), `a ${size}-byte memory operand cannot be used here`));
    }
    const scale = v.index ? v.scale | 0 : 1;
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

  private lowerForm(s: MnemonicSpec): Instr {
    const m = this.item.mnemonic;
    switch (s.form) {
      case "none":
        this.count(0);
        return this.operandless.get(m, s.op, (s.size || 4) as Size, m, 0);
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
        this.countBetween(1, 3);
        if (this.operandCount === 1) {
          if (this.kind(this.v(0)) === "imm") fail(diag("bad-operand", this.espan(0), "one-operand imul needs a register or memory operand"));
          const size = this.checkSizes(this.sizeOf(this.v(0)), 0);
          return instr(Op.IMUL1, size as Size, m, this.operand(0, size, false));
        }
        if (this.kind(this.v(0)) !== "reg" || this.v(0).reg!.size === 1) fail(diag("bad-operand", this.espan(0), "imul with two or three operands needs a 16- or 32-bit register destination"));
        const dst = this.reg(this.v(0));
        if (this.operandCount === 2) {
          if (this.kind(this.v(1)) === "imm") return instr(Op.IMUL3, dst.size, m, dst, dst, this.imm(this.v(1), dst.size, 1));
          this.checkSizes(dst.size, this.sizeOf(this.v(1)));
          return instr(Op.IMUL2, dst.size, m, dst, this.operand(1, dst.size, false));
        }
        if (this.kind(this.v(2)) !== "imm") fail(diag("bad-operand", this.espan(2), "the third operand of imul must be an immediate"));
        this.checkSizes(dst.size, this.sizeOf(this.v(1)));
        return instr(Op.IMUL3, dst.size, m, dst, this.operand(1, dst.size, false), this.imm(this.v(2), dst.size, 2));
      }
      case "shift": {
        this.countBetween(1, 2);
        if (this.kind(this.v(0)) === "imm") fail(diag("bad-operand", this.espan(0), `${m} needs a register or memory operand to shift`));
        const size = this.checkSizes(this.sizeOf(this.v(0)), 0);
        const count: Operand = this.operandCount === 1 ? IMM_ONE : this.shiftCount(1);
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
        this.countBetween(0, 1);
        const n = this.operandCount ? this.constantOperand(0, 0xffff) : 0;
        return this.operandless.get(m, s.op, 4, m, n);
      }
      case "string": {
        const rep = this.item.prefix === "rep" ? Rep.REP : this.item.prefix === "repe" ? Rep.REPE : this.item.prefix === "repne" ? Rep.REPNE : Rep.NONE;
        return this.operandless.get(m, s.op, s.size as Size, m, rep);
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
