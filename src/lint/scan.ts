// One pass over every instruction, made once per program, that finds what the analysis and the
// rules look for in the whole code. Until the JIT has compiled it, a loop over tens of thousands of
// instructions costs milliseconds; each pass of its own would pay that again.
import type { Expr } from "../front/ast.js";
import { Op } from "../ir/types.js";
import { ENDS_BLOCK, TRANSFERS } from "./cfg.js";
import type { LintProgram } from "./program.js";

export interface InstructionScan {
  /** 1 where a basic block starts (jump targets, after transfers); one entry past the last instruction. */
  readonly leaders: Uint8Array;
  /** By procedure index: 1 for each procedure some instruction calls or tail-jumps into. */
  readonly calledProcs: Uint8Array;
  /** By procedure index: 1 where some jump inside the procedure goes back to an instruction of its own. */
  readonly jumpsBack: Uint8Array;
  /** Indirect jumps, in order. */
  readonly indirectJumps: readonly number[];
  /** Instructions the IR could not express (segment register moves, errors), in order. */
  readonly traps: readonly number[];
  /** `mov [memory], immediate`, in order. */
  readonly immediateStores: readonly number[];
  /** VMMcall/VxDcall/VMMjmp/VxDjmp statements (the macros, not hand-made INT 20h), in order. */
  readonly serviceMacros: readonly number[];
  /** Service calls and jumps (the macros and hand-made INT 20h), in order. */
  readonly services: readonly number[];
  /** Instructions written in the source (not in a macro expansion) whose operands may hold the OFFSET operator, in order. */
  readonly mayHoldOffset: readonly number[];
  /** Instructions that come from a macro expansion, in order. */
  readonly expanded: readonly number[];
}

export function scanInstructions(p: LintProgram): InstructionScan {
  const { instrs, items, procOf, procs } = p;
  const n = instrs.length;
  const scan = {
    leaders: new Uint8Array(n + 1),
    calledProcs: new Uint8Array(procs.length),
    jumpsBack: new Uint8Array(procs.length),
    indirectJumps: [] as number[],
    traps: [] as number[],
    immediateStores: [] as number[],
    serviceMacros: [] as number[],
    services: [] as number[],
    mayHoldOffset: [] as number[],
    expanded: [] as number[],
  };
  if (n) scan.leaders[0] = 1;
  for (let i = 0; i < n; i++) {
    const ins = instrs[i]!;
    const op = ins.op;
    const target = ins.target;
    // Control flow.
    if (target >= 0 && target < n) {
      if (op !== Op.CALL && op !== Op.VXDCALL) scan.leaders[target] = 1;
      const to = procOf[target]!;
      if (TRANSFERS[op] && (op === Op.CALL || to !== procOf[i])) scan.calledProcs[to] = 1;
      if (target <= i && op !== Op.CALL && op !== Op.JMP_INDIRECT && i < procs[to]!.end) scan.jumpsBack[to] = 1;
    }
    if (ENDS_BLOCK[op]) scan.leaders[i + 1] = 1;
    // Instructions looked for by kind.
    if (op === Op.JMP_INDIRECT) scan.indirectJumps.push(i);
    else if (op === Op.TRAP) scan.traps.push(i);
    else if (op === Op.MOV && ins.a?.kind === "mem" && ins.b?.kind === "imm") scan.immediateStores.push(i);
    const item = items[i]!;
    if (op === Op.VXDCALL || op === Op.VXDJMP) {
      scan.services.push(i);
      if (item.synthetic) scan.serviceMacros.push(i);
    }
    // Where the source text of an instruction comes from.
    if (item.origin.length !== 0) scan.expanded.push(i);
    else if (mayHoldOffset(item.operands)) scan.mayHoldOffset.push(i);
  }
  return scan;
}

/** Whether some operand is more than a name, a number, `[name]` or `OFFSET32 name` (most are just that). */
export function mayHoldOffset(operands: readonly (Expr | null)[]): boolean {
  for (let i = 0; i < operands.length; i++) {
    const e = operands[i];
    if (!e) continue;
    // Expressions come in many shapes, so each read of `k` is a slow lookup: read once.
    const { k } = e;
    if (k === "name" || k === "num") continue;
    if (k === "index" ? e.left !== null || !isLeaf(e.inner) : k !== "unary" || e.op === "OFFSET" || !isLeaf(e.arg)) return true;
  }
  return false;
}

function isLeaf(e: Expr): boolean {
  const { k } = e;
  return k === "name" || k === "num";
}

/** The entries of a sorted list of instruction indices within [start, end). */
export function within(list: readonly number[], start: number, end: number): readonly number[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < start) lo = mid + 1;
    else hi = mid;
  }
  let k = lo;
  while (k < list.length && list[k]! < end) k++;
  return list.slice(lo, k);
}
