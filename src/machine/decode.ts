import { Cond, OP_COUNT, Op } from "../ir/types.js";
import type { Instr, IrProgram, Operand } from "../ir/types.js";

// The executor runs a private copy of the IR in which every instruction is one object shape and
// every operand is one object shape with small-integer fields, so that the hot loop stays
// monomorphic whatever produced the IR.

/** Operand kinds; the size is part of the kind. */
export const K_NONE = 0;
export const K_R32 = 1;
export const K_R16 = 2;
export const K_R8L = 3;
export const K_R8H = 4;
export const K_IMM = 5;
export const K_M8 = 6;
export const K_M16 = 7;
export const K_M32 = 8;

/** Register slot that always holds 0: the base or index of an address that has none. */
export const ZERO_REG = 8;

/** Ops the executor adds to the IR's own. */
export const OP_BAD_TARGET = OP_COUNT; // a direct jump or call whose target is not an instruction
export const OP_BAD_OP = OP_COUNT + 1; // an op code the machine does not know
export const OP_END = OP_COUNT + 2; // placed after the last instruction: running into it faults

// Specialised forms of the commonest instructions: 32-bit, destination a register (or, for the
// moves, a register and a dword in memory), source a register or an immediate. A register-or-
// immediate source is read as R[b.r] + b.d: a register operand has d = 0 and an immediate has
// r = ZERO_REG, so one op serves both.
export const F_MOV_R = OP_COUNT + 3; // mov r32, r32/imm
export const F_MOV_RM = OP_COUNT + 4; // mov r32, dword [m]
export const F_MOV_MR = OP_COUNT + 5; // mov dword [m], r32/imm
export const F_LEA = OP_COUNT + 6; // lea r32, [m]
export const F_ADD = OP_COUNT + 7; // add r32, r32/imm
export const F_SUB = OP_COUNT + 8;
export const F_CMP = OP_COUNT + 9;
export const F_AND = OP_COUNT + 10;
export const F_OR = OP_COUNT + 11;
export const F_XOR = OP_COUNT + 12;
export const F_TEST = OP_COUNT + 13;
export const F_INC = OP_COUNT + 14; // inc r32
export const F_DEC = OP_COUNT + 15; // dec r32
export const F_JE = OP_COUNT + 16; // jcc with Cond.E
export const F_JNE = OP_COUNT + 17; // jcc with Cond.NE
export const F_PUSH = OP_COUNT + 18; // push r32/imm (4 bytes)
export const F_POP = OP_COUNT + 19; // pop r32

export class DOperand {
  constructor(
    /** K_* */
    readonly k: number,
    /** Register (reg), base register or ZERO_REG (mem), unused (imm). */
    readonly r: number,
    /** Index register or ZERO_REG (mem). */
    readonly x: number,
    /** log2(scale) (mem). */
    readonly s: number,
    /** Displacement (mem) or value (imm), as int32. */
    readonly d: number,
    /** Width in bytes (0 for an immediate or no operand). */
    readonly size: number,
  ) {}
}

export const NO_OPERAND = new DOperand(K_NONE, ZERO_REG, ZERO_REG, 0, 0, 0);

export class DInstr {
  constructor(
    readonly op: number,
    readonly size: number,
    readonly a: DOperand,
    readonly b: DOperand,
    readonly c: DOperand,
    readonly target: number,
    readonly extra: number,
    readonly text: string,
  ) {}
}

const SCALE_SHIFT: Record<number, number> = { 1: 0, 2: 1, 4: 2, 8: 3 };

export function decodeOperand(o: Operand | null): DOperand {
  if (o === null) return NO_OPERAND;
  switch (o.kind) {
    case "reg": {
      const k = o.size === 4 ? K_R32 : o.size === 2 ? K_R16 : o.high ? K_R8H : K_R8L;
      return new DOperand(k, o.reg, ZERO_REG, 0, 0, o.size);
    }
    case "imm":
      return new DOperand(K_IMM, ZERO_REG, ZERO_REG, 0, o.value | 0, 0);
    case "mem": {
      const k = o.size === 4 ? K_M32 : o.size === 2 ? K_M16 : K_M8;
      const base = o.base < 0 ? ZERO_REG : o.base;
      const index = o.index < 0 ? ZERO_REG : o.index;
      return new DOperand(k, base, index, SCALE_SHIFT[o.scale] ?? 0, o.disp | 0, o.size);
    }
  }
}

const DIRECT: ReadonlySet<number> = new Set([Op.JMP, Op.JCC, Op.JECXZ, Op.LOOP, Op.LOOPZ, Op.LOOPNZ, Op.CALL]);

export function decodeInstr(ins: Instr, count: number): DInstr {
  let op: number = ins.op;
  let text = ins.text ?? "";
  if (!Number.isInteger(op) || op < 0 || op >= OP_COUNT) {
    op = OP_BAD_OP;
    text = `unknown operation ${String(ins.op)} (${ins.mnemonic})`;
  } else if (DIRECT.has(op) && !(Number.isInteger(ins.target) && ins.target >= 0 && ins.target < count)) {
    op = OP_BAD_TARGET;
    text = `${ins.mnemonic}: target ${ins.target} is not an instruction`;
  }
  const a = decodeOperand(ins.a),
    b = decodeOperand(ins.b);
  return new DInstr(
    specialise(op, ins, a, b),
    ins.size,
    a,
    b,
    decodeOperand(ins.c),
    ins.target,
    ins.extra | 0,
    text,
  );
}

const ALU_FAST: ReadonlyMap<number, number> = new Map([
  [Op.ADD, F_ADD],
  [Op.SUB, F_SUB],
  [Op.CMP, F_CMP],
  [Op.AND, F_AND],
  [Op.OR, F_OR],
  [Op.XOR, F_XOR],
  [Op.TEST, F_TEST],
]);

function specialise(op: number, ins: Instr, a: DOperand, b: DOperand): number {
  if (op >= OP_COUNT) return op;
  if (op === Op.JCC) return ins.extra === Cond.E ? F_JE : ins.extra === Cond.NE ? F_JNE : op;
  if (ins.size !== 4) return op;
  const regOrImm = b.k === K_R32 || b.k === K_IMM;
  switch (op) {
    case Op.MOV:
      if (a.k === K_R32 && regOrImm) return F_MOV_R;
      if (a.k === K_R32 && b.k === K_M32) return F_MOV_RM;
      if (a.k === K_M32 && regOrImm) return F_MOV_MR;
      return op;
    case Op.LEA:
      return a.k === K_R32 && b.k >= K_M8 ? F_LEA : op;
    case Op.INC:
      return a.k === K_R32 ? F_INC : op;
    case Op.DEC:
      return a.k === K_R32 ? F_DEC : op;
    case Op.PUSH:
      return a.k === K_R32 || a.k === K_IMM ? F_PUSH : op;
    case Op.POP:
      return a.k === K_R32 ? F_POP : op;
    default: {
      const fast = ALU_FAST.get(op);
      return fast !== undefined && a.k === K_R32 && regOrImm ? fast : op;
    }
  }
}

/** The program's instructions decoded, plus an OP_END after the last one. */
export function decodeProgram(program: IrProgram): DInstr[] {
  const n = program.instrs.length;
  const code = program.instrs.map((ins) => decodeInstr(ins, n));
  code.push(new DInstr(OP_END, 4, NO_OPERAND, NO_OPERAND, NO_OPERAND, -1, 0, "execution ran past the last instruction"));
  return code;
}
