// The instruction table: every mnemonic the machine executes, its operation and operand form.
// Lowering, the REPL's completion and `vmmasm doc` read it.
import { Cond, Op, type Size } from "./types.js";

export type Form =
  | "alu" // r/m, r/m/imm — add adc sub sbb cmp and or xor test
  | "mov"
  | "movx" // movzx movsx: r16/32, r/m8/16
  | "lea"
  | "xchg"
  | "push"
  | "pop"
  | "none" // no operands
  | "unary" // r/m — inc dec neg not mul div idiv
  | "imul"
  | "shift" // r/m, imm8/cl
  | "jmp"
  | "jcc"
  | "loop" // loop/jecxz: a label
  | "call"
  | "ret"
  | "string"
  | "setcc"
  | "cmovcc"
  | "bt"
  | "bscan" // bsf bsr: r, r/m
  | "bswap"
  | "xadd" // xadd cmpxchg: r/m, r
  | "shd" // shld shrd: r/m, r, imm8/cl
  | "enter"
  | "int";

export interface MnemonicSpec {
  readonly op: Op;
  readonly form: Form;
  readonly cond: Cond | -1;
  /** Fixed operand size (string instructions, cwde …), 0 if it comes from the operands. */
  readonly size: Size | 0;
  readonly summary: string;
}

const table = new Map<string, MnemonicSpec>();

function def(names: string, op: Op, form: Form, summary: string, size: Size | 0 = 0, cond: Cond | -1 = -1): void {
  for (const n of names.split(" ")) table.set(n, { op, form, cond, size, summary });
}

def("mov", Op.MOV, "mov", "copy a value");
def("movzx", Op.MOVZX, "movx", "copy with zero extension");
def("movsx", Op.MOVSX, "movx", "copy with sign extension");
def("lea", Op.LEA, "lea", "load an effective address");
def("xchg", Op.XCHG, "xchg", "exchange two operands");
def("push", Op.PUSH, "push", "push onto the stack");
def("pop", Op.POP, "pop", "pop from the stack");
def("pushad pusha", Op.PUSHAD, "none", "push all general registers", 4);
def("popad popa", Op.POPAD, "none", "pop all general registers", 4);
def("pushfd pushf", Op.PUSHFD, "none", "push EFLAGS", 4);
def("popfd popf", Op.POPFD, "none", "pop EFLAGS", 4);
def("add", Op.ADD, "alu", "add");
def("adc", Op.ADC, "alu", "add with carry");
def("sub", Op.SUB, "alu", "subtract");
def("sbb", Op.SBB, "alu", "subtract with borrow");
def("cmp", Op.CMP, "alu", "compare (subtract, keep only flags)");
def("and", Op.AND, "alu", "bitwise and");
def("or", Op.OR, "alu", "bitwise or");
def("xor", Op.XOR, "alu", "bitwise exclusive or");
def("test", Op.TEST, "alu", "bitwise and, keep only flags");
def("inc", Op.INC, "unary", "add 1 (CF unchanged)");
def("dec", Op.DEC, "unary", "subtract 1 (CF unchanged)");
def("neg", Op.NEG, "unary", "two's complement negate");
def("not", Op.NOT, "unary", "one's complement");
def("mul", Op.MUL, "unary", "unsigned multiply into EDX:EAX");
def("div", Op.DIV, "unary", "unsigned divide EDX:EAX");
def("idiv", Op.IDIV, "unary", "signed divide EDX:EAX");
def("imul", Op.IMUL2, "imul", "signed multiply");
def("shl sal", Op.SHL, "shift", "shift left");
def("shr", Op.SHR, "shift", "shift right (unsigned)");
def("sar", Op.SAR, "shift", "shift right (signed)");
def("rol", Op.ROL, "shift", "rotate left");
def("ror", Op.ROR, "shift", "rotate right");
def("rcl", Op.RCL, "shift", "rotate left through carry");
def("rcr", Op.RCR, "shift", "rotate right through carry");
def("cdq", Op.CDQ, "none", "sign-extend EAX into EDX", 4);
def("cwde", Op.CWDE, "none", "sign-extend AX into EAX", 4);
def("cbw", Op.CBW, "none", "sign-extend AL into AX", 2);
def("cwd", Op.CWD, "none", "sign-extend AX into DX", 2);
def("jmp", Op.JMP, "jmp", "jump");
def("call", Op.CALL, "call", "call a procedure");
def("ret retn", Op.RET, "ret", "return from a procedure");
def("jecxz", Op.JECXZ, "loop", "jump if ECX is 0");
def("loop", Op.LOOP, "loop", "decrement ECX, jump if not 0");
def("loope loopz", Op.LOOPZ, "loop", "decrement ECX, jump if not 0 and ZF=1");
def("loopne loopnz", Op.LOOPNZ, "loop", "decrement ECX, jump if not 0 and ZF=0");
def("clc", Op.CLC, "none", "clear the carry flag");
def("stc", Op.STC, "none", "set the carry flag");
def("cmc", Op.CMC, "none", "complement the carry flag");
def("cld", Op.CLD, "none", "clear the direction flag");
def("std", Op.STD, "none", "set the direction flag");
def("cli", Op.CLI, "none", "disable interrupts");
def("sti", Op.STI, "none", "enable interrupts");
def("nop", Op.NOP, "none", "do nothing");
def("lahf", Op.LAHF, "none", "load flags into AH");
def("sahf", Op.SAHF, "none", "store AH into flags");
def("leave", Op.LEAVE, "none", "release a stack frame");
def("enter", Op.ENTER, "enter", "make a stack frame");
def("int", Op.INT, "int", "software interrupt");
def("bswap", Op.BSWAP, "bswap", "reverse byte order");
def("bt", Op.BT, "bt", "test a bit");
def("bts", Op.BTS, "bt", "test and set a bit");
def("btr", Op.BTR, "bt", "test and reset a bit");
def("btc", Op.BTC, "bt", "test and complement a bit");
def("bsf", Op.BSF, "bscan", "find the lowest set bit");
def("bsr", Op.BSR, "bscan", "find the highest set bit");
def("xadd", Op.XADD, "xadd", "exchange and add");
def("cmpxchg", Op.CMPXCHG, "xadd", "compare and exchange");
def("shld", Op.SHLD, "shd", "double-precision shift left");
def("shrd", Op.SHRD, "shd", "double-precision shift right");

for (const [suffix, size] of [["b", 1], ["w", 2], ["d", 4]] as const) {
  def(`lods${suffix}`, Op.LODS, "string", "load string element", size);
  def(`stos${suffix}`, Op.STOS, "string", "store string element", size);
  def(`movs${suffix}`, Op.MOVS, "string", "move string element", size);
  def(`cmps${suffix}`, Op.CMPS, "string", "compare string elements", size);
  def(`scas${suffix}`, Op.SCAS, "string", "scan string", size);
}

/** Condition suffixes and their codes; every spelling MASM accepts. */
export const CONDITIONS: ReadonlyMap<string, Cond> = new Map<string, Cond>([
  ["o", Cond.O], ["no", Cond.NO], ["b", Cond.B], ["c", Cond.B], ["nae", Cond.B], ["ae", Cond.AE], ["nb", Cond.AE], ["nc", Cond.AE],
  ["e", Cond.E], ["z", Cond.E], ["ne", Cond.NE], ["nz", Cond.NE], ["be", Cond.BE], ["na", Cond.BE], ["a", Cond.A], ["nbe", Cond.A],
  ["s", Cond.S], ["ns", Cond.NS], ["p", Cond.P], ["pe", Cond.P], ["np", Cond.NP], ["po", Cond.NP], ["l", Cond.L], ["nge", Cond.L],
  ["ge", Cond.GE], ["nl", Cond.GE], ["le", Cond.LE], ["ng", Cond.LE], ["g", Cond.G], ["nle", Cond.G],
]);

for (const [suffix, cond] of CONDITIONS) {
  def(`j${suffix}`, Op.JCC, "jcc", `jump if ${suffix}`, 0, cond);
  def(`set${suffix}`, Op.SETCC, "setcc", `set byte if ${suffix}`, 1, cond);
  def(`cmov${suffix}`, Op.CMOVCC, "cmovcc", `move if ${suffix}`, 0, cond);
}

export const MNEMONICS: ReadonlyMap<string, MnemonicSpec> = table;

export function mnemonicSpec(name: string): MnemonicSpec | undefined {
  return table.get(name.toLowerCase());
}

export function isMnemonic(name: string): boolean {
  return table.has(name.toLowerCase());
}
