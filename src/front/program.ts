// What the front end hands on: instruction and data items in program order, per-file symbol
// tables, procedures and devices. Lowering turns it into the IR; lint reads it too.
import type { Cond, Op, SourceSpan } from "../ir/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Expr } from "./ast.js";
import type { SymbolTable } from "./symbols.js";

/** One source file's assembly state after the first pass. */
export interface Unit {
  readonly file: string;
  readonly symbols: SymbolTable;
  /** Code indices of the `@@:` labels, in source order. */
  readonly anonymous: number[];
  /** Whether `include vmm.inc` was seen. */
  includesVmm: boolean;
  /** Include files that could not be read (DDK headers vmmasm builds in are skipped silently). */
  readonly unreadIncludes: string[];
}

/** A pseudo-operation the front end emits directly (service calls, traces, glue jumps). */
export interface Synthetic {
  readonly op: Op;
  readonly extra: number;
  readonly text: string | null;
  /** For a glue JMP: the instruction index to go to (patched when known). */
  target: number;
}

export interface InstrItem {
  readonly mnemonic: string;
  readonly operands: readonly (Expr | null)[];
  readonly span: SourceSpan;
  readonly unit: Unit;
  /** How many `@@:` labels precede this instruction in its file (resolves @B / @F). */
  readonly anonBefore: number;
  /** `rep`, `repe`, `repne` or "" */
  readonly prefix: string;
  readonly synthetic: Synthetic | null;
  /** Macro expansions this came from, innermost first ("in expansion of X"). */
  readonly origin: readonly string[];
  /** Name of the enclosing procedure, or "" at top level. */
  readonly proc: string;
  /** Segment class the instruction is assembled in: "LOCKED", "PAGEABLE", "INIT", … or "". */
  readonly segment: string;
  /** Assembled inside an IF-family block (IFDEF DEBUG …). */
  readonly conditional: boolean;
}

export interface DataItem {
  readonly address: number;
  /** Element size: 1, 2, 4, 6, 8, 10 (ignored for struc instances). */
  readonly elementSize: number;
  readonly operands: readonly (Expr | null)[];
  readonly span: SourceSpan;
  readonly unit: Unit;
  readonly anonBefore: number;
  /** For a STRUC instance: the structure. */
  readonly struc: import("./symbols.js").StrucInfo | null;
  readonly byteLength: number;
}

export interface ProcRecord {
  readonly name: string;
  start: number;
  end: number;
  readonly options: readonly string[];
  readonly segment: string;
  readonly span: SourceSpan;
  readonly file: string;
}

export interface DeviceRecord {
  readonly name: string;
  readonly operands: readonly (Expr | null)[];
  readonly ddbAddress: number;
  readonly span: SourceSpan;
  readonly unit: Unit;
}

/** A Begin_Control_Dispatch … End_Control_Dispatch block, as written. */
export interface DispatchRecord {
  /** The name given to Begin_Control_Dispatch; the control procedure is `<name>_Control`. */
  readonly name: string;
  readonly proc: string;
  /** `conditional`: the Control_Dispatch line sits inside an IF-family block. */
  readonly entries: readonly { readonly message: number; readonly handler: string; readonly span: SourceSpan; readonly conditional: boolean }[];
  /** The lowest message dispatched; with a jump table EAX arrives at a handler as message − low. */
  readonly low: number;
  /** End_Control_Dispatch built a jump table (more than one message, not too wide a range). */
  readonly jumpTable: boolean;
  readonly span: SourceSpan;
  readonly unit: Unit;
}

/** A `;` comment of a source file (not of a macro expansion). */
export interface CommentToken {
  readonly image: string;
  readonly startLine?: number | undefined;
  readonly startColumn?: number | undefined;
}

export interface FrontResult {
  readonly units: readonly Unit[];
  readonly instrs: readonly InstrItem[];
  readonly data: readonly DataItem[];
  readonly dataSize: number;
  readonly procs: readonly ProcRecord[];
  readonly devices: readonly DeviceRecord[];
  /** First top-level instruction of each file that has top-level code. */
  readonly entries: readonly { file: string; index: number }[];
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, string>;
  readonly dispatches: readonly DispatchRecord[];
  /** Each source file's `; vmmasm-…` comments, in order (lint's suppressions; other comments are not kept). */
  readonly comments: ReadonlyMap<string, readonly CommentToken[]>;
}

export type { Cond };
