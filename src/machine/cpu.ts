// The register machine: CPU state and the entry points the VMM uses. Code does not live in
// memory: instruction i has the code address codeBase + i, which is what CALL pushes and RET,
// JMP_INDIRECT and CALL_INDIRECT accept. codeBase - 1 is the host-return sentinel: a RET that
// pops it ends the current activation (run / callGuest), so activations nest through the host.
import { Layout, Reg } from "../ir/types.js";
import type { IrProgram, MemOperand, Operand, Size } from "../ir/types.js";
import { decodeProgram } from "./decode.js";
import type { DInstr } from "./decode.js";
import { execute } from "./execute.js";
import { MachineFault, hex32 } from "./fault.js";
import { Flags } from "./flags.js";
import type { FlagName } from "./flags.js";
import { Memory } from "./memory.js";

/** What the machine hands to the simulated VMM. */
export interface MachineHost {
  /** Op.VXDCALL / Op.VXDJMP. `serviceId` is unsigned (device << 16 | index). */
  vxdcall(cpu: Cpu, serviceId: number, instrIndex: number): void;
  /** Op.TRACE_OUT. The machine restores every register and flag afterwards. */
  traceOut(cpu: Cpu, text: string, instrIndex: number): void;
  /** Op.INT. */
  interrupt(cpu: Cpu, vector: number, instrIndex: number): void;
}

export interface CpuOptions {
  /** Default: a new Memory of Layout.MEMORY_SIZE bytes. */
  memory?: Memory;
  /** Copy the program's data image into memory (default true). */
  loadData?: boolean;
  /** Default: a host whose methods throw MachineFault("host", "no VMM attached"). */
  host?: MachineHost;
  /** Default 10,000,000; executing more instructions than this faults with "step-limit". */
  maxSteps?: number;
  /** Initial ESP and the stack-underflow bound (default: memory size - Layout.STACK_TOP_GAP). */
  stackTop?: number;
  /** ESP below stackTop - stackSize is a stack overflow (default 1 MiB). */
  stackSize?: number;
  /** Default true; false disables the overflow and underflow checks. */
  checkStack?: boolean;
  /** Called before each instruction (each iteration of a REP string instruction). */
  onStep?: (cpu: Cpu, index: number) => void;
  /** Initial EFLAGS (default 2: every flag clear, as in the oracle). */
  eflags?: number;
}

const NO_HOST: MachineHost = {
  vxdcall() {
    throw new MachineFault("host", "no VMM attached");
  },
  traceOut() {
    throw new MachineFault("host", "no VMM attached");
  },
  interrupt() {
    throw new MachineFault("host", "no VMM attached");
  },
};

export class Cpu {
  /** Replaced only by useProgram, with a program that keeps every instruction's index. */
  program: IrProgram;
  readonly memory: Memory;
  /** The 8 general registers in Reg order (a view of the first 8 slots of `R`). */
  readonly regs: Int32Array;
  /** Registers plus slot ZERO_REG (always 0), as the executor addresses them. */
  readonly R: Int32Array;
  readonly flags = new Flags();
  /** Index of the next instruction (not a code address); -1 once a run has returned to the host. */
  eip = 0;
  /** Instructions executed so far, over all activations (each REP iteration counts). */
  steps = 0;
  maxSteps: number;
  host: MachineHost;
  onStep: ((cpu: Cpu, index: number) => void) | null;
  readonly stackTop: number;
  readonly stackLimit: number;
  checkStack: boolean;
  /** The decoded program (executor's form), with an end marker after the last instruction. */
  code: DInstr[];
  readonly codeBase: number;
  /** The return address that ends a callGuest activation: no instruction has it. */
  readonly sentinel: number;
  // codeBase and sentinel as int32, so that code-address arithmetic stays in small integers.
  readonly codeBase32: number;
  readonly sentinel32: number;
  private count: number;

  // Active call sites, and the ESP at which each pushed its return address.
  private csSite = new Int32Array(256);
  private csEsp = new Float64Array(256);
  depth = 0;
  /** Set by a REP string instruction that stopped at the step limit before ECX ran out. */
  repPending = false;

  constructor(program: IrProgram, options: CpuOptions = {}) {
    this.program = program;
    this.memory = options.memory ?? new Memory();
    this.R = new Int32Array(9);
    this.regs = this.R.subarray(0, 8);
    this.maxSteps = options.maxSteps ?? 10_000_000;
    this.host = options.host ?? NO_HOST;
    this.onStep = options.onStep ?? null;
    this.checkStack = options.checkStack ?? true;
    this.stackTop = (options.stackTop ?? this.memory.size - Layout.STACK_TOP_GAP) >>> 0;
    this.stackLimit = Math.max(0, this.stackTop - (options.stackSize ?? 0x10_0000));
    this.R[Reg.ESP] = this.stackTop;
    this.code = decodeProgram(program);
    this.codeBase = program.codeBase >>> 0;
    this.sentinel = (this.codeBase - 1) >>> 0;
    this.codeBase32 = this.codeBase | 0;
    this.sentinel32 = this.sentinel | 0;
    this.count = program.instrs.length;
    this.flags.setEflags(options.eflags ?? 2);
    if (options.loadData ?? true) {
      const data = program.data;
      if (data.bytes.length > 0) this.memory.writeBytes(data.base >>> 0, data.bytes);
    }
  }

  /**
   * Go on with another version of the program: the REPL re-assembles its session append-only, so
   * instruction i of the longer program is instruction i of the shorter one and code addresses
   * held in registers, memory and VMM structures stay valid (and `.undo` goes back to the shorter
   * one). Call it between runs only. Data is not touched: the caller loads what the new program adds.
   */
  useProgram(program: IrProgram): void {
    if (program.codeBase >>> 0 !== this.codeBase) throw new RangeError("useProgram: the program has a different code base");
    this.program = program;
    this.code = decodeProgram(program);
    this.count = program.instrs.length;
  }

  // ---- registers and operands

  /** Unsigned value of a register view. */
  getReg(r: Reg, size: Size, high = false): number {
    const v = this.R[r]!;
    if (size === 4) return v >>> 0;
    if (size === 2) return v & 0xffff;
    return high ? (v >> 8) & 0xff : v & 0xff;
  }

  setReg(r: Reg, size: Size, value: number, high = false): void {
    const R = this.R;
    if (size === 4) R[r] = value;
    else if (size === 2) R[r] = (R[r]! & ~0xffff) | (value & 0xffff);
    else if (high) R[r] = (R[r]! & ~0xff00) | ((value & 0xff) << 8);
    else R[r] = (R[r]! & ~0xff) | (value & 0xff);
  }

  effectiveAddress(m: MemOperand): number {
    const base = m.base < 0 ? 0 : this.R[m.base]!;
    const index = m.index < 0 ? 0 : Math.imul(this.R[m.index]!, m.scale);
    return (base + index + m.disp) >>> 0;
  }

  /** Unsigned value of an operand (an immediate as given, truncated to 32 bits). */
  readOperand(o: Operand): number {
    switch (o.kind) {
      case "reg":
        return this.getReg(o.reg, o.size, o.high);
      case "imm":
        return o.value >>> 0;
      case "mem":
        return this.memory.read(this.effectiveAddress(o), o.size);
    }
  }

  writeOperand(o: Operand, v: number): void {
    switch (o.kind) {
      case "reg":
        return this.setReg(o.reg, o.size, v, o.high);
      case "imm":
        throw new MachineFault("trap", "cannot write to an immediate operand");
      case "mem":
        return this.memory.write(this.effectiveAddress(o), o.size, v);
    }
  }

  // ---- flags

  getFlag(name: FlagName): boolean {
    return this.flags.get(name);
  }

  setFlag(name: FlagName, on: boolean): void {
    this.flags.set(name, on);
  }

  getEflags(): number {
    return this.flags.getEflags();
  }

  setEflags(v: number): void {
    this.flags.setEflags(v);
  }

  // ---- stack

  push32(v: number): void {
    const esp = (this.R[Reg.ESP]! - 4) >>> 0;
    if (this.checkStack && esp < this.stackLimit) this.overflow(esp);
    this.memory.write32(esp, v);
    this.R[Reg.ESP] = esp;
  }

  pop32(): number {
    const esp = this.R[Reg.ESP]! >>> 0;
    if (this.checkStack && esp + 4 > this.stackTop) this.underflow(esp);
    const v = this.memory.read32(esp);
    this.R[Reg.ESP] = esp + 4;
    return v;
  }

  push16(v: number): void {
    const esp = (this.R[Reg.ESP]! - 2) >>> 0;
    if (this.checkStack && esp < this.stackLimit) this.overflow(esp);
    this.memory.write16(esp, v);
    this.R[Reg.ESP] = esp;
  }

  pop16(): number {
    const esp = this.R[Reg.ESP]! >>> 0;
    if (this.checkStack && esp + 2 > this.stackTop) this.underflow(esp);
    const v = this.memory.read16(esp);
    this.R[Reg.ESP] = esp + 2;
    return v;
  }

  /** Faults unless `n` bytes can be popped (the stack-underflow check alone). */
  checkPop(n: number): void {
    const esp = this.R[Reg.ESP]! >>> 0;
    if (this.checkStack && esp + n > this.stackTop) this.underflow(esp);
  }

  /** Faults unless ESP may move down to `esp` (the stack-overflow check alone). */
  checkPush(esp: number): void {
    if (this.checkStack && esp >>> 0 < this.stackLimit) this.overflow(esp >>> 0);
  }

  private overflow(esp: number): never {
    throw new MachineFault("stack-overflow", `stack overflow: ESP would be ${hex32(esp)}, below the stack limit ${hex32(this.stackLimit)}`, esp);
  }

  private underflow(esp: number): never {
    throw new MachineFault("stack-underflow", `stack underflow: pop at ESP ${hex32(esp)} goes above the stack top ${hex32(this.stackTop)}`, esp);
  }

  // ---- code addresses and control

  codeAddress(index: number): number {
    return (this.codeBase + index) >>> 0;
  }

  indexOfCodeAddress(addr: number): number {
    const i = ((addr | 0) - this.codeBase32) | 0;
    return i >= 0 && i < this.count ? i : -1;
  }

  /** The instruction index a code address names; faults with "bad-jump" if it names none. */
  jumpIndex(addr: number, how: string): number {
    const i = this.indexOfCodeAddress(addr);
    if (i < 0) throw new MachineFault("bad-jump", `${how} to ${hex32(addr)}, which is not the address of an instruction`, addr >>> 0);
    return i;
  }

  /** Note an active call site (a CALL, or a host call that may re-enter the guest). */
  enter(site: number, esp: number): void {
    if (this.depth === this.csSite.length) {
      const site2 = new Int32Array(this.depth * 2);
      const esp2 = new Float64Array(this.depth * 2);
      site2.set(this.csSite);
      esp2.set(this.csEsp);
      this.csSite = site2;
      this.csEsp = esp2;
    }
    this.csSite[this.depth] = site;
    this.csEsp[this.depth] = esp >>> 0;
    this.depth++;
  }

  /** A return from the return address at `esp`: drop the call sites it leaves (not below `base`). */
  leave(esp: number, base: number): void {
    let d = this.depth;
    while (d > base && this.csEsp[d - 1]! <= esp) d--;
    this.depth = d;
  }

  /** Instruction indices of the active call sites, innermost first. */
  backtrace(): number[] {
    const out: number[] = [];
    for (let i = this.depth - 1; i >= 0; i--) out.push(this.csSite[i]!);
    return out;
  }

  /** Run from instruction `index` until a HALT, or until a RET pops the host-return sentinel. */
  run(index: number): void {
    const base = this.depth;
    try {
      if (!(Number.isInteger(index) && index >= 0 && index < this.count)) {
        throw new MachineFault("bad-jump", `cannot run from instruction ${index}: there is no such instruction`);
      }
      if (this.onStep === null) {
        const pc = execute(this, index, this.maxSteps, base);
        if (pc >= 0) this.stepLimit(pc);
      } else {
        let pc = index;
        while (pc >= 0) {
          if (this.steps >= this.maxSteps) this.stepLimit(pc);
          this.eip = pc;
          this.onStep(this, pc);
          pc = execute(this, pc, this.steps + 1, base);
        }
      }
    } catch (e) {
      if (e instanceof MachineFault && !e.located) {
        e.instrIndex = -1;
        e.backtrace = this.backtrace();
        e.located = true;
      }
      throw e;
    } finally {
      this.depth = base;
    }
  }

  private stepLimit(pc: number): never {
    this.eip = pc;
    const f = new MachineFault("step-limit", `step limit of ${this.maxSteps} instructions reached`);
    f.instrIndex = pc;
    f.backtrace = this.backtrace();
    f.located = true;
    throw f;
  }

  /**
   * Call the guest procedure at code address `addr` as the VMM would: push the host-return
   * sentinel and run until it is popped. Registers are whatever the caller set. eip is restored.
   */
  callGuest(addr: number): void {
    const index = this.jumpIndex(addr, "callGuest");
    const eip = this.eip;
    this.push32(this.sentinel32);
    try {
      this.run(index);
    } finally {
      this.eip = eip;
    }
  }
}
