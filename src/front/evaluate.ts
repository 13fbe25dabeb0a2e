// Expression evaluation. An operand evaluates to a Value: a constant, maybe registers (inside
// brackets), maybe a memory reference, maybe a size. Constant contexts (EQU, IF, DUP) insist
// that nothing but the constant is present.
import { discardLineParser } from "../../grammar/parser.js";
import type { SourceSpan } from "../ir/types.js";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Expr } from "./ast.js";
import { registerByName, SEGMENT_REGISTERS, type RegisterRef } from "./registers.js";
import type { Sym } from "./symbols.js";

export class FrontError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

export function fail(d: Diagnostic): never {
  throw new FrontError(d);
}

/** JavaScript's own stack ran out: an expression (or a line) nests deeper than the recursive
 *  parser and evaluator can follow. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/** The diagnostic for a line or expression that overflowed the stack. The shared parser is
 *  dropped too, as the overflow may have left it in the middle of a rule. */
export function tooDeep(span: SourceSpan | null): Diagnostic {
  discardLineParser();
  return diag("bad-expression", span, "this expression nests too deeply to assemble", { help: "split it up, e.g. name parts of it with EQU" });
}

export interface Value {
  /** Constant part (an address for labels). Unbounded during arithmetic; wrapped when used. */
  c: number;
  base: RegisterRef | null;
  index: RegisterRef | null;
  scale: number;
  /** The whole value is this register (only meaningful when nothing else is present). */
  reg: RegisterRef | null;
  /** A memory reference: brackets, or a data symbol named without OFFSET. */
  mem: boolean;
  /** Operand size from PTR, a data symbol's type or a field; 0 if unknown. */
  size: number;
  /** The value names a code label (a direct jump/call target) with this instruction index. */
  codeIndex: number;
  /** The value came from a data or code label (an address) rather than a number. */
  address: boolean;
  /** A quoted string, kept for data definitions. */
  str: string | null;
  /** `?` (uninitialised). */
  uninit: boolean;
  /** The value was written with SHORT. */
  short: boolean;
  /** A segment register named as an operand (not simulated). */
  segReg: string | null;
}

export function constant(c: number): Value {
  return {
    c,
    base: null,
    index: null,
    scale: 1,
    reg: null,
    mem: false,
    size: 0,
    codeIndex: -1,
    address: false,
    str: null,
    uninit: false,
    short: false,
    segReg: null,
  };
}

/** A copy of `v` (a literal like `constant`'s, so that every value has one shape). */
function copyValue(v: Value): Value {
  return {
    c: v.c,
    base: v.base,
    index: v.index,
    scale: v.scale,
    reg: v.reg,
    mem: v.mem,
    size: v.size,
    codeIndex: v.codeIndex,
    address: v.address,
    str: v.str,
    uninit: v.uninit,
    short: v.short,
    segReg: v.segReg,
  };
}

/** The longest name that can be a register or another name with a meaning of its own (`$`, `?`,
 *  `@B`, `@F`). Upper-casing never shortens a string, so longer names can only be symbols. */
const MAX_RESERVED_NAME = 3;

/** A fresh value with some fields set (no spread copy: this is on every operand's path). */
function withFields(v: Value, fields: Partial<Value>): Value {
  return Object.assign(v, fields);
}

export interface EvalContext {
  lookup(name: string): Sym | undefined;
  /** `$`: the current location. */
  here(): number;
  /** Code index of the anonymous label `@@` before (@B) or after (@F) the current statement. */
  anonymous(forward: boolean): number | undefined;
  codeAddress(index: number): number;
  /** Called for an undefined name; must throw (or return a value to use instead). */
  undefinedName(name: string, span: SourceSpan): Value;
}

/** Sizes of the type names, spelt in upper and in lower case: other spellings are upper-cased
 *  to be found (a call into the runtime and a new string, which `dword ptr` need not pay). */
const TYPE_SIZES: ReadonlyMap<string, number> = new Map(
  Object.entries({
    BYTE: 1, SBYTE: 1, DB: 1, WORD: 2, SWORD: 2, DW: 2, DWORD: 4, SDWORD: 4, DD: 4,
    FWORD: 6, DF: 6, QWORD: 8, DQ: 8, TBYTE: 10, DT: 10, NEAR: 4, FAR: 6, NEAR32: 4,
  }).flatMap(([name, size]) => [[name, size], [name.toLowerCase(), size]]),
);

export function typeSizeOfName(name: string): number | undefined {
  return TYPE_SIZES.get(name) ?? TYPE_SIZES.get(name.toUpperCase());
}

function hasRegs(v: Value): boolean {
  return v.base !== null || v.index !== null || v.reg !== null;
}

function u32(n: number): number {
  return n >>> 0;
}

/** MASM reads a short string in an expression as a number, first character most significant. */
export function stringAsNumber(s: string): number {
  let n = 0;
  for (const ch of s) n = (n * 256 + (ch.charCodeAt(0) & 0xff)) % 0x1_0000_0000;
  return n;
}

export class Evaluator {
  constructor(private readonly ctx: EvalContext) {}

  /** A constant: no registers, no memory. */
  constant(e: Expr): number {
    const v = this.value(e);
    if (v.uninit) fail(diag("bad-expression", e.span, "`?` is only allowed in data definitions"));
    if (hasRegs(v) || v.mem && !v.address) fail(diag("bad-expression", e.span, "a constant expression is needed here, not a register or memory operand"));
    return v.str !== null ? stringAsNumber(v.str) : v.c;
  }

  value(e: Expr): Value {
    switch (e.k) {
      case "num":
        return constant(e.value);
      case "str": {
        const v = constant(stringAsNumber(e.value));
        v.str = e.value;
        return v;
      }
      case "bad":
        fail(diag("bad-expression", e.span, "this expression cannot be evaluated"));
      // eslint-disable-next-line no-fallthrough
      case "text":
        fail(diag("bad-expression", e.span, "a `<text>` literal is not allowed here"));
      // eslint-disable-next-line no-fallthrough
      case "name":
        return this.name(e.name, e);
      case "unary":
        return this.unary(e.op, e.arg, e);
      case "binary":
        return this.binary(e.op, this.value(e.left), this.value(e.right), e);
      case "index": {
        const inner = this.value(e.inner);
        const v = e.left ? this.add(this.value(e.left), inner, e) : inner;
        if (v.reg) {
          const reg = v.reg;
          v.reg = null;
          this.addRegister(v, reg, 1, e);
        }
        v.mem = true;
        return v;
      }
      case "field": {
        // `Struc.Field` is the field's offset: the structure name itself contributes nothing.
        const leftSym = e.left.k === "name" ? this.ctx.lookup(e.left.name) : undefined;
        const left = leftSym?.kind === "struc" ? constant(0) : this.value(e.left);
        const f = this.ctx.lookup(e.field);
        let offset: number;
        let size = 0;
        if (f?.kind === "field") {
          offset = f.offset;
          size = f.size;
        } else if (f?.kind === "equate") {
          offset = f.value;
        } else {
          return this.ctx.undefinedName(e.field, e.span);
        }
        if (left.reg) {
          const reg = left.reg;
          left.reg = null;
          this.addRegister(left, reg, 1, e);
        }
        left.c += offset;
        left.size = size || left.size;
        left.codeIndex = -1;
        return left;
      }
      case "ptr": {
        const size = this.typeSize(e.type);
        const v = this.value(e.arg);
        v.size = size;
        return v;
      }
      case "seg": {
        // Flat model: a segment override or FLAT: changes nothing.
        const v = this.value(e.arg);
        v.segReg = null;
        return v;
      }
      case "dup":
        fail(diag("bad-expression", e.span, "DUP is only allowed in data definitions"));
    }
  }

  typeSize(e: Expr): number {
    if (e.k === "name") {
      const t = typeSizeOfName(e.name);
      if (t !== undefined) return t;
      const s = this.ctx.lookup(e.name);
      if (s?.kind === "struc") return s.info.size;
    }
    fail(diag("bad-expression", e.span, "PTR needs a type on its left: BYTE, WORD, DWORD, a STRUC name, NEAR or FAR"));
  }

  private name(name: string, at: Expr): Value {
    if (name.length <= MAX_RESERVED_NAME) {
      const reserved = this.reservedName(name, at);
      if (reserved) return reserved;
    }
    const s = this.ctx.lookup(name);
    if (!s) return this.ctx.undefinedName(name, at.span);
    switch (s.kind) {
      case "equate":
        return constant(s.value);
      case "code":
        return this.codeLabel(s.index);
      case "data": {
        const v = constant(s.address);
        v.mem = true;
        v.size = s.size;
        v.address = true;
        return v;
      }
      case "field":
        return withFields(constant(s.offset), { size: s.size });
      case "struc":
        return constant(s.info.size);
      case "extern":
        fail(diag("undefined-symbol", at.span, `\`${name}\` is declared EXTRN but no loaded file makes it PUBLIC`, { help: "load the file that defines it too, or define it here" }));
      // eslint-disable-next-line no-fallthrough
      case "text":
        fail(diag("bad-expression", at.span, `\`${name}\` is a text equate whose text is not an expression here`));
      // eslint-disable-next-line no-fallthrough
      case "macro":
        fail(diag("bad-expression", at.span, `\`${name}\` is a macro, not a value`));
    }
  }

  /** A register, `$`, `?`, `@B` or `@F`; null for a symbol's name. */
  private reservedName(name: string, at: Expr): Value | null {
    const r = registerByName(name);
    if (r) {
      const v = constant(0);
      v.reg = r;
      return v;
    }
    const upper = name.toUpperCase();
    if (SEGMENT_REGISTERS.has(upper)) {
      const v = constant(0);
      v.segReg = upper;
      return v;
    }
    if (upper === "$") return withFields(constant(this.ctx.here()), { address: true });
    if (upper === "?") return withFields(constant(0), { uninit: true });
    if (upper === "@B" || upper === "@F") {
      const index = this.ctx.anonymous(upper === "@F");
      if (index === undefined) {
        fail(diag("undefined-symbol", at.span, `there is no \`@@:\` label ${upper === "@F" ? "after" : "before"} this line for \`${name}\``));
      }
      return this.codeLabel(index);
    }
    return null;
  }

  private codeLabel(index: number): Value {
    const v = constant(this.ctx.codeAddress(index));
    v.codeIndex = index;
    v.address = true;
    v.size = 4;
    return v;
  }

  private unary(op: string, argExpr: Expr, at: Expr): Value {
    if (op === "SIZE" || op === "SIZEOF" || op === "TYPE" || op === "LENGTH" || op === "LENGTHOF") {
      return constant(this.sizeOperator(op, argExpr));
    }
    const v = this.value(argExpr);
    switch (op) {
      case "+":
        return v;
      case "-":
        this.requireConstant(v, argExpr);
        return constant(-v.c);
      case "NOT":
        this.requireConstant(v, argExpr);
        return constant(~v.c >>> 0);
      case "OFFSET":
      case "OFFSET32": {
        if (hasRegs(v)) fail(diag("bad-expression", at.span, `${op} needs a label or variable, not a register`));
        const r = constant(v.c);
        r.address = v.address;
        return r;
      }
      case "SHORT":
        v.short = true;
        return v;
      case "HIGH":
        this.requireConstant(v, argExpr);
        return constant((v.c >>> 8) & 0xff);
      case "LOW":
        this.requireConstant(v, argExpr);
        return constant(v.c & 0xff);
      case "HIGHWORD":
        this.requireConstant(v, argExpr);
        return constant((v.c >>> 16) & 0xffff);
      case "LOWWORD":
        this.requireConstant(v, argExpr);
        return constant(v.c & 0xffff);
      case "SEG":
        return constant(0);
      case "THIS":
        return constant(this.ctx.here());
      default:
        fail(diag("bad-expression", at.span, `the operator ${op} is not supported`));
    }
  }

  private sizeOperator(op: string, e: Expr): number {
    if (e.k === "name") {
      const t = typeSizeOfName(e.name);
      if (t !== undefined) return op.startsWith("LENGTH") ? 1 : t;
      const s = this.ctx.lookup(e.name);
      if (s?.kind === "struc") return op.startsWith("LENGTH") ? 1 : s.info.size;
      if (s?.kind === "data") {
        if (op === "TYPE") return s.size;
        if (op.startsWith("LENGTH")) return s.count;
        return s.size * s.count;
      }
      if (s?.kind === "field") return op.startsWith("LENGTH") ? 1 : s.size;
      if (s?.kind === "code") return op === "TYPE" ? 0xff04 : 0;
      if (registerByName(e.name)) return op.startsWith("LENGTH") ? 1 : registerByName(e.name)!.size;
    }
    const v = this.value(e);
    return op.startsWith("LENGTH") ? 1 : v.size;
  }

  private requireConstant(v: Value, at: Expr): void {
    if (hasRegs(v) || v.mem && !v.address || v.segReg) fail(diag("bad-expression", at.span, "this operator needs a constant"));
  }

  private add(a: Value, b: Value, at: Expr): Value {
    const r = copyValue(a);
    r.c = a.c + b.c;
    r.mem = a.mem || b.mem;
    r.size = a.size || b.size;
    r.address = a.address || b.address;
    r.codeIndex = -1;
    r.str = null;
    if (b.reg !== null) this.addRegister(r, b.reg, 1, at);
    if (b.base !== null) this.addRegister(r, b.base, 1, at);
    if (r.reg && (b.reg || b.base || b.index || r.c !== 0 || r.mem)) {
      const reg = r.reg;
      r.reg = null;
      this.addRegister(r, reg, 1, at);
    }
    if (b.index) this.addRegister(r, b.index, b.scale, at);
    return r;
  }

  private addRegister(v: Value, reg: RegisterRef, scale: number, at: Expr): void {
    if (reg.size !== 4) fail(diag("bad-operand", at.span, `\`${reg.name}\` cannot be used in a 32-bit address`));
    if (scale === 1 && v.base === null && v.reg === null) {
      v.base = reg;
    } else if (v.index === null) {
      v.index = reg;
      v.scale = scale;
    } else if (scale === 1 && v.base === null) {
      v.base = reg;
    } else {
      fail(diag("bad-operand", at.span, "an address can have at most a base and an index register"));
    }
  }

  private binary(op: string, a: Value, b: Value, e: Expr): Value {
    if (op === "+") return this.add(a, b, e);
    if (op === "-") {
      if (hasRegs(b)) fail(diag("bad-operand", e.span, "a register cannot be subtracted"));
      const r = copyValue(a);
      r.codeIndex = -1;
      r.str = null;
      r.c = a.c - b.c;
      // The difference of two addresses is a plain number.
      if (a.address && b.address) {
        r.address = false;
        r.mem = false;
        r.size = 0;
      }
      return r;
    }
    if (op === "*") {
      const regSide = a.reg ? a : b.reg ? b : null;
      if (regSide) {
        const other = regSide === a ? b : a;
        this.requireConstant(other, e);
        const scale = other.c;
        if (![1, 2, 4, 8].includes(scale)) fail(diag("bad-operand", e.span, `an index register can be scaled by 1, 2, 4 or 8, not ${scale}`));
        const v = constant(0);
        // `| 0`: a small integer, even when the constant part it came from is kept as a double.
        this.addRegister(v, regSide.reg!, scale | 0, e);
        if (v.base && scale === 1) return v;
        return v;
      }
    }
    this.requireConstant(a, e);
    this.requireConstant(b, e);
    const x = a.str !== null ? stringAsNumber(a.str) : a.c;
    const y = b.str !== null ? stringAsNumber(b.str) : b.c;
    switch (op) {
      case "*":
        return constant(Number((BigInt(Math.trunc(x)) * BigInt(Math.trunc(y))) & 0xffffffffn));
      case "/":
      case "MOD":
        if (y === 0) fail(diag("bad-expression", e.span, "division by zero in a constant expression"));
        return constant(op === "/" ? Math.trunc(x / y) : x % y);
      case "SHL":
        return constant(y >= 32 ? 0 : u32(x << y));
      case "SHR":
        return constant(y >= 32 ? 0 : u32(x) >>> y);
      case "AND":
        return constant(u32(x & y));
      case "OR":
        return constant(u32(x | y));
      case "XOR":
        return constant(u32(x ^ y));
      case "EQ":
        return constant(u32(x) === u32(y) ? 0xffffffff : 0);
      case "NE":
        return constant(u32(x) !== u32(y) ? 0xffffffff : 0);
      case "LT":
        return constant(x < y ? 0xffffffff : 0);
      case "LE":
        return constant(x <= y ? 0xffffffff : 0);
      case "GT":
        return constant(x > y ? 0xffffffff : 0);
      case "GE":
        return constant(x >= y ? 0xffffffff : 0);
      default:
        fail(diag("bad-expression", e.span, `the operator ${op} is not supported`));
    }
  }
}
