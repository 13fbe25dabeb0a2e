// Hand-built IR for the machine tests: operands, instructions with labels, a minimal program.
import { Layout, Op, Reg } from "../../src/ir/types.js";
import type { DataImage, ImmOperand, Instr, IrProgram, MemOperand, Operand, RegOperand, Size, SourceSpan } from "../../src/ir/types.js";
import { Cpu } from "../../src/machine/index.js";
import type { CpuOptions } from "../../src/machine/index.js";

function reg(r: Reg, size: Size, high = false): RegOperand {
  return { kind: "reg", reg: r, size, high };
}

export const eax = reg(Reg.EAX, 4),
  ecx = reg(Reg.ECX, 4),
  edx = reg(Reg.EDX, 4),
  ebx = reg(Reg.EBX, 4),
  esp = reg(Reg.ESP, 4),
  ebp = reg(Reg.EBP, 4),
  esi = reg(Reg.ESI, 4),
  edi = reg(Reg.EDI, 4);
export const ax = reg(Reg.EAX, 2),
  cx = reg(Reg.ECX, 2),
  dx = reg(Reg.EDX, 2),
  bx = reg(Reg.EBX, 2),
  sp = reg(Reg.ESP, 2),
  bp = reg(Reg.EBP, 2),
  si = reg(Reg.ESI, 2),
  di = reg(Reg.EDI, 2);
export const al = reg(Reg.EAX, 1),
  cl = reg(Reg.ECX, 1),
  dl = reg(Reg.EDX, 1),
  bl = reg(Reg.EBX, 1);
export const ah = reg(Reg.EAX, 1, true),
  ch = reg(Reg.ECX, 1, true),
  dh = reg(Reg.EDX, 1, true),
  bh = reg(Reg.EBX, 1, true);

export function imm(value: number): ImmOperand {
  return { kind: "imm", value: value | 0 };
}

export function mem(size: Size, base: Reg | -1, disp = 0, index: Reg | -1 = -1, scale: 1 | 2 | 4 | 8 = 1): MemOperand {
  return { kind: "mem", size, base, index, scale, disp: disp | 0 };
}
export const dword = (base: Reg | -1, disp = 0, index: Reg | -1 = -1, scale: 1 | 2 | 4 | 8 = 1) => mem(4, base, disp, index, scale);
export const word = (base: Reg | -1, disp = 0, index: Reg | -1 = -1, scale: 1 | 2 | 4 | 8 = 1) => mem(2, base, disp, index, scale);
export const byte = (base: Reg | -1, disp = 0, index: Reg | -1 = -1, scale: 1 | 2 | 4 | 8 = 1) => mem(1, base, disp, index, scale);

const OP_NAMES = new Map<number, string>(Object.entries(Op).map(([k, v]) => [v, k.toLowerCase()]));

export interface InsOptions {
  size?: Size;
  target?: number | string;
  extra?: number;
  text?: string;
}

const SPAN: SourceSpan = { file: "test.asm", line: 1, column: 1, endLine: 1, endColumn: 1 };

/** Collects instructions; a string target names a label, resolved by build(). */
export class Asm {
  private items: { op: number; a: Operand | null; b: Operand | null; c: Operand | null; o: InsOptions }[] = [];
  private labels = new Map<string, number>();
  data: DataImage = { base: Layout.DATA_BASE, bytes: new Uint8Array(0) };

  get length(): number {
    return this.items.length;
  }

  label(name: string): this {
    this.labels.set(name, this.items.length);
    return this;
  }

  /** Index of a label (after build, or once defined). */
  at(name: string): number {
    const i = this.labels.get(name);
    if (i === undefined) throw new Error(`no label ${name}`);
    return i;
  }

  i(op: number, a: Operand | null = null, b: Operand | null = null, c: Operand | null = null, o: InsOptions = {}): this {
    this.items.push({ op, a, b, c, o });
    return this;
  }

  jmp(op: number, target: string | number, o: InsOptions = {}): this {
    return this.i(op, null, null, null, { ...o, target });
  }

  build(): IrProgram {
    const instrs: Instr[] = this.items.map(({ op, a, b, c, o }) => {
      const size: Size = o.size ?? sizeOf(a) ?? sizeOf(b) ?? 4;
      const target = typeof o.target === "string" ? this.at(o.target) : (o.target ?? -1);
      return { op: op as Op, size, a, b, c, target, extra: o.extra ?? 0, text: o.text ?? null, mnemonic: OP_NAMES.get(op) ?? "?" };
    });
    return program(instrs, this.data);
  }
}

function sizeOf(o: Operand | null): Size | undefined {
  return o === null || o.kind === "imm" ? undefined : o.size;
}

export function program(instrs: Instr[], data: DataImage = { base: Layout.DATA_BASE, bytes: new Uint8Array(0) }): IrProgram {
  const p = {
    instrs,
    spans: instrs.map(() => SPAN),
    codeBase: Layout.CODE_BASE,
    data,
    symbols: new Map(),
    procs: [],
    devices: [],
    entry: instrs.length > 0 ? 0 : -1,
    entries: instrs.length > 0 ? [{ file: "test.asm", index: 0 }] : [],
    sources: new Map(),
  };
  return p as IrProgram;
}

export type Init = Partial<Record<"eax" | "ecx" | "edx" | "ebx" | "esp" | "ebp" | "esi" | "edi" | "eflags", number>>;

export const REG_OF: Record<string, Reg> = { eax: 0, ecx: 1, edx: 2, ebx: 3, esp: 4, ebp: 5, esi: 6, edi: 7 };

/** Build, append a HALT, set registers and run from instruction 0. */
export function runAsm(asm: Asm, init: Init = {}, options: CpuOptions = {}): Cpu {
  asm.i(Op.HALT);
  const cpu = new Cpu(asm.build(), options);
  setInit(cpu, init);
  cpu.run(0);
  return cpu;
}

export function setInit(cpu: Cpu, init: Init): void {
  for (const [k, v] of Object.entries(init)) {
    if (k === "eflags") cpu.setEflags(v);
    else cpu.regs[REG_OF[k]!] = v;
  }
}

/** Run a single instruction (plus HALT) from the given registers. */
export function run1(op: number, a: Operand | null, b: Operand | null = null, init: Init = {}, o: InsOptions = {}, c: Operand | null = null): Cpu {
  return runAsm(new Asm().i(op, a, b, c, o), init);
}

/** The six status flags as a compact string like "C P A Z S O" with "-" for clear ones. */
export function flagString(cpu: Cpu): string {
  return (["cf", "pf", "af", "zf", "sf", "of"] as const).map((n) => (cpu.getFlag(n) ? n[0]!.toUpperCase() : "-")).join("");
}

export function u32(cpu: Cpu, r: Reg): number {
  return cpu.regs[r]! >>> 0;
}
