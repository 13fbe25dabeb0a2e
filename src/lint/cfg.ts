// Control-flow graphs: basic blocks of a procedure and their successors, from the IR alone (no
// values). Jumps out of the procedure are tail calls; RET, VMMjmp and HALT leave it. An indirect
// jump has no static successors (the analysis resolves jump tables with known values).
import { Op, type Instr } from "../ir/types.js";
import type { LintProc, LintProgram } from "./program.js";

export interface Block {
  readonly id: number;
  readonly start: number;
  /** One past the last instruction. */
  readonly end: number;
  readonly succ: number[];
  /** The block leaves the procedure: a return, a tail jump, an indirect jump or the end of the code. */
  exits: boolean;
}

export interface Cfg {
  readonly proc: LintProc;
  readonly blocks: Block[];
  /** Block id of each instruction of the procedure, indexed by instruction − proc.start. */
  readonly blockOf: Int32Array;
}

/** Conditional jumps and loops: control goes to the target or falls through. */
const BRANCH_OPS = [Op.JCC, Op.LOOP, Op.LOOPZ, Op.LOOPNZ, Op.JECXZ];
/** Control never falls through to the next instruction. */
const FLOW_END_OPS = [Op.JMP, Op.JMP_INDIRECT, Op.RET, Op.VXDJMP, Op.HALT];

function opTable(ops: readonly number[]): Uint8Array {
  const table = new Uint8Array(256);
  for (const op of ops) table[op] = 1;
  return table;
}

/** By opcode: 1 for direct jumps, branches and calls. */
export const TRANSFERS = opTable([Op.JMP, ...BRANCH_OPS, Op.CALL]);
/** By opcode: 1 where the next instruction starts a block (a branch or the end of the flow). */
export const ENDS_BLOCK = opTable([...BRANCH_OPS, ...FLOW_END_OPS]);
const BRANCHES = opTable(BRANCH_OPS);
const FLOW_ENDS = opTable(FLOW_END_OPS);

export function isControlTransfer(op: number): boolean {
  return TRANSFERS[op] === 1;
}

/** Does control never fall through to the next instruction? */
export function endsFlow(ins: Instr): boolean {
  return FLOW_ENDS[ins.op] === 1;
}

export function isBranch(op: number): boolean {
  return BRANCHES[op] === 1;
}

export function buildCfg(program: LintProgram, proc: LintProc): Cfg {
  const { start, end } = proc;
  const instrs = program.instrs;
  const lead = new Uint8Array(end - start + 1);
  lead[0] = 1;
  for (let i = start; i < end; i++) {
    const ins = instrs[i]!;
    if (ins.op !== Op.CALL && ins.target >= start && ins.target < end) lead[ins.target - start] = 1;
    if (ENDS_BLOCK[ins.op]) lead[i + 1 - start] = 1;
  }
  const blocks: Block[] = [];
  const blockOf = new Int32Array(end - start).fill(-1);
  for (let i = start; i < end; ) {
    let j = i + 1;
    while (j < end && !lead[j - start]) j++;
    const b: Block = { id: blocks.length, start: i, end: j, succ: [], exits: false };
    blocks.push(b);
    blockOf.fill(b.id, i - start, j - start);
    i = j;
  }
  const link = (b: Block, target: number): void => {
    if (target >= start && target < end) {
      const id = blockOf[target - start]!;
      if (!b.succ.includes(id)) b.succ.push(id);
    } else b.exits = true;
  };
  for (const b of blocks) {
    const last = instrs[b.end - 1]!;
    if (isBranch(last.op)) {
      link(b, last.target);
      link(b, b.end);
    } else if (last.op === Op.JMP) link(b, last.target);
    else if (endsFlow(last)) b.exits = true;
    else link(b, b.end);
  }
  return { proc, blocks, blockOf };
}
