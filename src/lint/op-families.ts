// Operations by what the lint interpreter's `step` does with them: a table from opcode to a small
// family number, so that `step` switches over small dense numbers (one jump) and hands each family
// to a method of its own.
import { Op } from "../ir/types.js";

/** What `step` does with an operation: the frequent ones have a method (or a line) each, the rest share `rare`. */
export const enum Family {
  Rare,
  Nothing,
  Mov,
  Extend,
  Lea,
  Xchg,
  Push,
  Pop,
  Alu,
  IncDec,
  Shift,
  Jmp,
  Jcc,
  Call,
  Ret,
  Service,
  ClearCarry,
  SetCarry,
  ClearDirection,
  SetDirection,
  Pushad,
  Popad,
  Pushfd,
  Popfd,
  String,
}

/** By opcode: its Family (a table, so that `step` switches over small dense numbers: one jump). */
export const FAMILY = new Uint8Array(256);
const FAMILIES: readonly (readonly [Family, readonly number[]])[] = [
  [Family.Nothing, [Op.TRACE_OUT, Op.NOP, Op.CLI, Op.STI]],
  [Family.Mov, [Op.MOV]],
  [Family.Extend, [Op.MOVZX, Op.MOVSX]],
  [Family.Lea, [Op.LEA]],
  [Family.Xchg, [Op.XCHG]],
  [Family.Push, [Op.PUSH]],
  [Family.Pop, [Op.POP]],
  [Family.Alu, [Op.ADD, Op.ADC, Op.SUB, Op.SBB, Op.AND, Op.OR, Op.XOR, Op.CMP, Op.TEST]],
  [Family.IncDec, [Op.INC, Op.DEC]],
  [Family.Shift, [Op.SHL, Op.SHR, Op.SAR, Op.ROL, Op.ROR, Op.RCL, Op.RCR]],
  [Family.Jmp, [Op.JMP]],
  [Family.Jcc, [Op.JCC]],
  [Family.Call, [Op.CALL]],
  [Family.Ret, [Op.RET]],
  [Family.Service, [Op.VXDCALL, Op.VXDJMP]],
  [Family.ClearCarry, [Op.CLC]],
  [Family.SetCarry, [Op.STC]],
  [Family.ClearDirection, [Op.CLD]],
  [Family.SetDirection, [Op.STD]],
  [Family.Pushad, [Op.PUSHAD]],
  [Family.Popad, [Op.POPAD]],
  [Family.Pushfd, [Op.PUSHFD]],
  [Family.Popfd, [Op.POPFD]],
  [Family.String, [Op.LODS, Op.STOS, Op.MOVS, Op.CMPS, Op.SCAS]],
];
for (const [family, ops] of FAMILIES) for (const op of ops) FAMILY[op] = family;
