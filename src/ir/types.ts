// The IR: a flat list of instructions with resolved operands, a data image, the symbols and a
// side table of source spans. The machine executes it; a later block compiler consumes it too.
// Everything here is plain data created once at load time; executing it allocates nothing.

/** General registers in x86 encoding order (the order PUSHAD uses, reversed on the stack). */
export const Reg = {
  EAX: 0,
  ECX: 1,
  EDX: 2,
  EBX: 3,
  ESP: 4,
  EBP: 5,
  ESI: 6,
  EDI: 7,
} as const;
export type Reg = (typeof Reg)[keyof typeof Reg];
export const REG_NAMES32 = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"] as const;
export const REG_NAMES16 = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"] as const;
export const REG_NAMES8_LOW = ["al", "cl", "dl", "bl"] as const;
export const REG_NAMES8_HIGH = ["ah", "ch", "dh", "bh"] as const;

export type Size = 1 | 2 | 4;

/** A register operand. For 8-bit operands `high` selects AH/CH/DH/BH (reg is then 0..3). */
export interface RegOperand {
  readonly kind: "reg";
  readonly reg: Reg;
  readonly size: Size;
  readonly high: boolean;
}

/** An immediate, already truncated to 32 bits and stored as a signed int32. */
export interface ImmOperand {
  readonly kind: "imm";
  readonly value: number;
}

/** A memory operand: [base + index*scale + disp], `size` bytes wide. base/index are -1 when absent. */
export interface MemOperand {
  readonly kind: "mem";
  readonly size: Size;
  readonly base: Reg | -1;
  readonly index: Reg | -1;
  readonly scale: 1 | 2 | 4 | 8;
  readonly disp: number;
}

export type Operand = RegOperand | ImmOperand | MemOperand;

/** Operation codes. Numbers, so that the executor's switch compiles to a jump table. */
export const Op = {
  MOV: 0,
  MOVZX: 1,
  MOVSX: 2,
  LEA: 3,
  XCHG: 4,
  PUSH: 5,
  POP: 6,
  PUSHAD: 7,
  POPAD: 8,
  PUSHFD: 9,
  POPFD: 10,
  ADD: 11,
  ADC: 12,
  SUB: 13,
  SBB: 14,
  CMP: 15,
  INC: 16,
  DEC: 17,
  NEG: 18,
  AND: 19,
  OR: 20,
  XOR: 21,
  NOT: 22,
  TEST: 23,
  SHL: 24,
  SHR: 25,
  SAR: 26,
  ROL: 27,
  ROR: 28,
  RCL: 29,
  RCR: 30,
  MUL: 31,
  /** One-operand imul: EDX:EAX = EAX * a (or the 8/16-bit forms). */
  IMUL1: 32,
  /** Two-operand imul: a = a * b. */
  IMUL2: 33,
  /** Three-operand imul: a = b * c. */
  IMUL3: 34,
  DIV: 35,
  IDIV: 36,
  CDQ: 37,
  CWDE: 38,
  CBW: 39,
  CWD: 40,
  /** Direct jump to `target`. */
  JMP: 41,
  /** Jump through an operand holding a code address (`jmp eax`, `jmp [table+eax*4]`). */
  JMP_INDIRECT: 42,
  /** Conditional jump; `extra` is the condition code (see Cond). */
  JCC: 43,
  JECXZ: 44,
  LOOP: 45,
  LOOPZ: 46,
  LOOPNZ: 47,
  /** Direct call of `target`. */
  CALL: 48,
  /** Call through an operand holding a code address. */
  CALL_INDIRECT: 49,
  /** Near return; `extra` is the immediate byte count popped after the return address. */
  RET: 50,
  CLC: 51,
  STC: 52,
  CMC: 53,
  CLD: 54,
  STD: 55,
  CLI: 56,
  STI: 57,
  NOP: 58,
  /** String instructions; `size` is the element size, `extra` the Rep prefix. */
  LODS: 59,
  STOS: 60,
  MOVS: 61,
  CMPS: 62,
  SCAS: 63,
  /** SETcc a; `extra` is the condition code. */
  SETCC: 64,
  /** VMMcall/VxDcall: `extra` is the service id (device << 16 | index), `a` is unused. */
  VXDCALL: 65,
  /** VMMjmp/VxDjmp: call the service, then return as `ret` would. */
  VXDJMP: 66,
  /** Trace_Out / Debug_Out: `text` is the message; preserves every register and flag. */
  TRACE_OUT: 67,
  /** End of a top-level code run: stop the current guest activation. */
  HALT: 68,
  /** An INT n instruction (extra = n). The machine hands it to the host. */
  INT: 69,
  /** Fault deliberately (e.g. an assembly-time error lowered as a runtime stop); `text` says why. */
  TRAP: 70,
  BT: 71,
  BTS: 72,
  BTR: 73,
  BTC: 74,
  BSF: 75,
  BSR: 76,
  CMOVCC: 77,
  LAHF: 78,
  SAHF: 79,
  SHLD: 80,
  SHRD: 81,
  BSWAP: 82,
  XADD: 83,
  CMPXCHG: 84,
  LEAVE: 85,
  ENTER: 86,
} as const;
export type Op = (typeof Op)[keyof typeof Op];
export const OP_COUNT = 87;

/** Condition codes in x86 encoding order (the low nibble of 0x70+cc). */
export const Cond = {
  O: 0,
  NO: 1,
  B: 2,
  AE: 3,
  E: 4,
  NE: 5,
  BE: 6,
  A: 7,
  S: 8,
  NS: 9,
  P: 10,
  NP: 11,
  L: 12,
  GE: 13,
  LE: 14,
  G: 15,
} as const;
export type Cond = (typeof Cond)[keyof typeof Cond];

/** Repeat prefix of a string instruction. */
export const Rep = { NONE: 0, REP: 1, REPE: 2, REPNE: 3 } as const;
export type Rep = (typeof Rep)[keyof typeof Rep];

export interface Instr {
  readonly op: Op;
  /** Operand size in bytes (element size for string instructions). */
  readonly size: Size;
  readonly a: Operand | null;
  readonly b: Operand | null;
  readonly c: Operand | null;
  /** Instruction index a direct jump, call or loop goes to; -1 otherwise. */
  readonly target: number;
  /** Op-specific number: Cond for JCC/SETCC/CMOVCC, Rep for string ops, bytes for RET n,
   *  the service id for VXDCALL/VXDJMP, the vector for INT. 0 otherwise. */
  readonly extra: number;
  /** Op-specific text: the Trace_Out message, the TRAP reason. */
  readonly text: string | null;
  /** Mnemonic as written (lower case), for traces and diagnostics. */
  readonly mnemonic: string;
}

/** Where a piece of the program came from. Lines and columns are 1-based; endColumn is exclusive. */
export interface SourceSpan {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export type SymbolKind = "code" | "data" | "equate" | "text" | "struc" | "field" | "extern";

export interface SymbolInfo {
  /** The name as first written. Lookups are case-insensitive (keys are upper case). */
  readonly name: string;
  readonly kind: SymbolKind;
  /** Address for code/data symbols, value for equates, offset for fields, size for strucs. */
  readonly value: number;
  /** Element size in bytes for data symbols and fields (1, 2, 4, or a struc's size); 0 if none. */
  readonly size: number;
  readonly span: SourceSpan | null;
}

export interface ProcInfo {
  readonly name: string;
  /** First instruction index. */
  readonly start: number;
  /** One past the last instruction index. */
  readonly end: number;
  /** BeginProc options, upper case (e.g. "LOCKED", "ASYNC_SERVICE"); empty for PROC. */
  readonly options: readonly string[];
  /** Segment class the procedure lives in, e.g. "LOCKED", "PAGEABLE", "INIT", or "" if unknown. */
  readonly segment: string;
  readonly span: SourceSpan;
}

/** A device declared with Declare_Virtual_Device. Addresses are as the program sees them. */
export interface DeviceDecl {
  readonly name: string;
  readonly majorVersion: number;
  readonly minorVersion: number;
  /** Code address of the control procedure, or 0. */
  readonly controlProc: number;
  readonly deviceId: number;
  readonly initOrder: number;
  readonly v86ApiProc: number;
  readonly pmApiProc: number;
  readonly referenceData: number;
  /** Address of the DDB in the data image. */
  readonly ddbAddress: number;
  readonly span: SourceSpan;
}

export interface DataImage {
  /** Address of bytes[0]. */
  readonly base: number;
  readonly bytes: Uint8Array;
}

export interface IrProgram {
  readonly instrs: readonly Instr[];
  /** spans[i] is where instrs[i] came from (for a macro expansion: the invocation). */
  readonly spans: readonly SourceSpan[];
  /** Code address of instrs[i] is codeBase + i. */
  readonly codeBase: number;
  readonly data: DataImage;
  /** Upper-cased name → symbol. */
  readonly symbols: ReadonlyMap<string, SymbolInfo>;
  readonly procs: readonly ProcInfo[];
  readonly devices: readonly DeviceDecl[];
  /** Index of the first top-level instruction (the program's entry), or -1 if there is none. */
  readonly entry: number;
  /** The first top-level instruction of each file that has top-level code, in load order. */
  readonly entries: readonly { readonly file: string; readonly index: number }[];
  /** The source files, by name, for rendering diagnostics. */
  readonly sources: ReadonlyMap<string, string>;
}

/** Default address-space layout. Memory is flat and starts at 0; the first page is never mapped. */
export const Layout = {
  /** Code addresses: instruction i is at CODE_BASE + i. Code does not live in data memory. */
  CODE_BASE: 0xc0001000,
  /** Where the VMM places its own structures (VM control blocks, client register structures). */
  VMM_BASE: 0x00100000,
  /** Where the program's data image starts. */
  DATA_BASE: 0x00400000,
  /** Default memory size. */
  MEMORY_SIZE: 16 * 1024 * 1024,
  /** Addresses below this fault (null-pointer page). */
  NULL_GUARD: 0x1000,
  /** The default stack top lies this far below the end of memory. */
  STACK_TOP_GAP: 0x1000,
} as const;
