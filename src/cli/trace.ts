// --trace: each executed instruction with the registers and flags it changed.
import type { ChalkInstance } from "chalk";
import { REG_NAMES32, type IrProgram } from "../ir/types.js";
import { formatInstr } from "../ir/print.js";
import type { Cpu } from "../machine/cpu.js";

const FLAG_BITS: readonly [string, number][] = [["CF", 0], ["PF", 2], ["AF", 4], ["ZF", 6], ["SF", 7], ["IF", 9], ["DF", 10], ["OF", 11]];

function sourceText(program: IrProgram, index: number): string {
  const span = program.spans[index];
  if (!span) return "";
  const text = program.sources.get(span.file)?.split(/\r\n|\r|\n/)[span.line - 1] ?? "";
  return text.replace(/;.*$/, "").replace(/\s+/g, " ").trim();
}

export class InstructionTracer {
  private prev = -1;
  private readonly regs = new Int32Array(8);
  private eflags = 0;

  constructor(
    private readonly program: IrProgram,
    private readonly write: (line: string) => void,
    private readonly c: ChalkInstance,
  ) {}

  step = (cpu: Cpu, index: number): void => {
    this.flush(cpu);
    this.prev = index;
    this.regs.set(cpu.regs);
    this.eflags = cpu.getEflags();
  };

  /** Prints the pending instruction with what it changed. */
  flush(cpu: Cpu): void {
    if (this.prev < 0) return;
    const i = this.prev;
    this.prev = -1;
    const changes: string[] = [];
    for (let r = 0; r < 8; r++) {
      if (cpu.regs[r] !== this.regs[r]) changes.push(`${REG_NAMES32[r]}=${hex(cpu.regs[r]!)}`);
    }
    const ef = cpu.getEflags();
    for (const [name, bit] of FLAG_BITS) {
      const was = (this.eflags >>> bit) & 1;
      const now = (ef >>> bit) & 1;
      if (was !== now) changes.push(`${name}=${now}`);
    }
    const span = this.program.spans[i];
    const where = span ? `${span.file}:${span.line}` : "";
    const instr = this.program.instrs[i]!;
    let text = sourceText(this.program, i);
    const first = text.split(/[\s:]/).find((w) => w && !w.endsWith(":"))?.toLowerCase() ?? "";
    if (!text.toLowerCase().includes(instr.mnemonic) || first !== instr.mnemonic && !text.toLowerCase().startsWith(instr.mnemonic)) {
      text = `${text} ${this.c.dim(`[${formatInstr(this.program, instr).replace(/\s+/g, " ").trim().toLowerCase()}]`)}`;
    }
    this.write(`${this.c.dim(where.padEnd(24))} ${text.padEnd(40)} ${this.c.cyan(changes.join(" "))}`.trimEnd());
  }
}

function hex(v: number): string {
  return (v >>> 0).toString(16).toUpperCase().padStart(8, "0");
}
