// A callback whose saved handle is cancelled elsewhere does not clear it first (vmm-facts §4.3, §7 rule 20).
import { Op } from "../../ir/types.js";
import { isBranch } from "../cfg.js";
import type { LintProgram } from "../program.js";
import type { Rule } from "../types.js";
import { cancelledVariable, handleInfo } from "./handles.js";
import { at, dataName, procName } from "./support.js";
import { w95 } from "./uri.js";

export const eventHandleNotCleared: Rule = {
  meta: {
    id: "event-handle-not-cleared",
    code: "L0109",
    severity: "warning",
    summary: "a callback does not clear its saved handle first, though the handle is cancelled elsewhere",
    explanation:
      "Once an event's (or time-out's) callback runs, its handle is dead: cancelling it afterwards cancels nothing " +
      "good, or something else that got the same handle. The DDK's idiom: the callback's first action is to zero " +
      "the variable the handle was saved in (`mov [hEvent], 0` leaves CF alone), and the code that cancels takes " +
      "the handle out with `xor esi, esi / xchg esi, [hEvent]`. Lint reports a callback whose handle variable is " +
      "cancelled somewhere when some path through the callback calls, returns or calls a service before clearing it.",
    source: "W95DDK:S31D3; W95DDK:S31E6; VDAG31 Cancel_VM_Event",
    helpUri: w95("S31D3"),
    bad: "BeginProc My_Event\n\tcall\tDo_Work\n\tmov\t[hEvent], 0\t; too late\n\tret\nEndProc My_Event",
    good: "BeginProc My_Event\n\tmov\t[hEvent], 0\t; first thing\n\tcall\tDo_Work\n\tret\nEndProc My_Event",
  },
  check({ program: p, report }) {
    const info = handleInfo(p);
    // Each variable a handle is cancelled from, in order, with its first Cancel call.
    const cancelled = new Map<number, number>();
    const cancelledVariables: number[] = [];
    const cancels = info.cancels;
    for (let k = 0; k < cancels.length; k++) {
      const c = cancels[k]!;
      const addr = cancelledVariable(c);
      if (addr === null || cancelled.has(addr)) continue;
      cancelled.set(addr, c.index);
      cancelledVariables.push(addr);
    }
    const callbacksAt = new Map<number, typeof p.facts.callbacks>();
    const callbacks = p.facts.callbacks;
    for (let k = 0; k < callbacks.length; k++) {
      const cb = callbacks[k]!;
      const list = callbacksAt.get(cb.site);
      if (list) list.push(cb);
      else callbacksAt.set(cb.site, [cb]);
    }
    // Stores of 0 into each handle variable, by the root they were made under.
    const zeroes = new Map<number, Set<number>>();
    const zeroStores = info.zeroStores;
    for (let k = 0; k < zeroStores.length; k++) {
      const s = zeroStores[k]!;
      if (!cancelled.has(s.addr)) continue;
      const key = entryAndAddress(s.ctx.root, s.addr);
      let set = zeroes.get(key);
      if (!set) zeroes.set(key, (set = new Set()));
      set.add(s.index);
    }
    const done = new Set<number>();
    for (let v = 0; v < cancelledVariables.length; v++) {
      const addr = cancelledVariables[v]!;
      const cancelAt = cancelled.get(addr)!;
      const sites = info.variables.get(addr) ?? [];
      for (let j = 0; j < sites.length; j++) {
        const site = sites[j]!;
        const scheduled = callbacksAt.get(site) ?? [];
        for (let m = 0; m < scheduled.length; m++) {
          const cb = scheduled[m]!;
          const key = entryAndAddress(cb.entry, addr);
          if (done.has(key)) continue;
          done.add(key);
          const clears = zeroes.get(key) ?? NO_CLEARS;
          const late = firstActionBeforeClear(p, cb.entry, clears);
          if (late < 0) continue;
          report({
            span: p.span(cb.entry),
            message: `callback \`${procName(p, cb.entry)}\` does not clear \`${dataName(p, addr)}\` before anything else, but that handle is cancelled at ${at(p, cancelAt)}`,
            help: `make \`mov [${dataName(p, addr)}], 0\` its first instruction: once the callback runs, the handle is dead`,
            related: [
              { span: p.span(late), message: "this comes before the handle is cleared" },
              { span: p.span(site), message: `scheduled by ${cb.service.service.name} here` },
            ],
          });
        }
      }
    }
  },
};

const NO_CLEARS: ReadonlySet<number> = new Set();

/** One number for an instruction index and a 32-bit data address. */
function entryAndAddress(entry: number, addr: number): number {
  return entry * 0x1_0000_0000 + (addr >>> 0);
}

/** The first call, service call or return some path reaches before a clearing store, or -1. */
function firstActionBeforeClear(p: LintProgram, entry: number, clears: ReadonlySet<number>): number {
  const proc = p.procOf[entry];
  const seen = new Set<number>();
  const work = [entry];
  while (work.length) {
    const i = work.pop()!;
    if (seen.has(i) || i < 0 || i >= p.size) continue;
    seen.add(i);
    if (clears.has(i)) continue;
    const ins = p.instrs[i]!;
    switch (ins.op) {
      case Op.CALL:
      case Op.CALL_INDIRECT:
      case Op.VXDCALL:
      case Op.VXDJMP:
      case Op.RET:
      case Op.JMP_INDIRECT:
        return i;
      case Op.JMP:
        if (p.procOf[ins.target] !== proc) return i;
        work.push(ins.target);
        break;
      default:
        if (isBranch(ins.op)) {
          if (p.procOf[ins.target] !== proc) return i;
          work.push(ins.target);
        }
        if (ins.op !== Op.HALT) work.push(i + 1);
    }
  }
  return -1;
}
