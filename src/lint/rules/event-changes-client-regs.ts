// An event callback changes the client registers without saving the client state (vmm-facts §7 rule 18).
import { CLIENT_BYTE_REG_STRUC, CLIENT_REG_STRUC, CLIENT_WORD_REG_STRUC } from "../../vmm/tables/structures.js";
import { serviceByName, VM_EXECUTION_SERVICES } from "../../vmm/tables/services.js";
import { namesIn } from "../names.js";
import type { LintProc, LintProgram } from "../program.js";
import type { Rule } from "../types.js";
import { at, EBP, procName } from "./support.js";
import { w95 } from "./uri.js";

const CLIENT_FIELDS = new Set([CLIENT_REG_STRUC, CLIENT_WORD_REG_STRUC, CLIENT_BYTE_REG_STRUC].flatMap((s) => s.fields.map((f) => f.name.toLowerCase())));
const SAVE_CLIENT_STATE = serviceByName("Save_Client_State")!;
const RUNS_VM_CODE = new Set(VM_EXECUTION_SERVICES.map((n) => serviceByName(n)!));
const RUNS_VM_CODE_NAMES = new Set([...RUNS_VM_CODE].map((s) => s.name));
/** Instructions that write their first operand. */
const WRITES_FIRST = new Set(["mov", "add", "adc", "sub", "sbb", "and", "or", "xor", "inc", "dec", "not", "neg", "shl", "sal", "shr", "sar", "rol", "ror", "rcl", "rcr", "xchg", "pop", "bts", "btr", "btc"]);

export const eventChangesClientRegs: Rule = {
  meta: {
    id: "event-changes-client-regs",
    code: "L0132",
    severity: "warning",
    summary: "an event callback changes client registers and runs VM code without Push_Client_State / Save_Client_State",
    explanation:
      "An event runs whenever the VMM gets to it: the VM's client registers (EBP points to them) hold whatever the " +
      "VM was doing when it was interrupted. The DDK asks a callback that changes them - to simulate an interrupt " +
      "or call code in the VM - to save the client state first (Push_Client_State, or Save_Client_State) and " +
      "restore it afterwards. Lint looks at the callbacks of Schedule_/Call_ Global/VM/Thread_Event, " +
      "Call_Priority_VM_Event and Call_Restricted_Event that run code in the VM (Begin_Nest_Exec, Exec_Int, " +
      "Simulate_Int, Simulate_Far_Call …), and reports a store through EBP into a Client_Reg_Struc field, in the " +
      "callback or what it calls, when nothing there calls Save_Client_State. A callback that only writes a " +
      "result into the registers of a VM it knows to be waiting (a V86 API answered later) is not reported: " +
      "lint cannot tell whether the VM waits. It does not check " +
      "the order of the two, stores through other registers, or services that change the client registers " +
      "themselves; and it stays silent when a line it could not read (a macro from an include it cannot " +
      "reach) sits in that code.",
    source: "W95DDK:S31D5",
    helpUri: w95("S31D5"),
    bad: "BeginProc My_Event\n\tmov\t[ebp.Client_AX], 4C00h\t; the VM was doing something else\n\tmov\teax, 21h\n\tVMMcall Exec_Int\n\tret\nEndProc My_Event",
    good: "BeginProc My_Event\n\tPush_Client_State\n\tVMMcall Begin_Nest_Exec\n\tmov\t[ebp.Client_AX], 4C00h\n\tmov\teax, 21h\n\tVMMcall Exec_Int\n\tVMMcall End_Nest_Exec\n\tPop_Client_State\n\tret\nEndProc My_Event",
  },
  check({ program: p, report }) {
    const saves = new Set<number>();
    const runsVm = new Set<number>();
    const serviceCalls = p.serviceCalls.where((name) => name === SAVE_CLIENT_STATE.name || RUNS_VM_CODE_NAMES.has(name));
    for (let k = 0; k < serviceCalls.length; k++) {
      const c = serviceCalls[k]!;
      if (c.service === SAVE_CLIENT_STATE) saves.add(c.ctx.id);
      if (c.service && RUNS_VM_CODE.has(c.service)) runsVm.add(c.ctx.id);
    }
    const reachedProcs = new Map<number, Set<number>>();
    const calls = p.facts.calls;
    for (let k = 0; k < calls.length; k++) {
      const c = calls[k]!;
      const to = p.procOf[c.target]!;
      if (to < 0) continue;
      let set = reachedProcs.get(c.ctx.id);
      if (!set) reachedProcs.set(c.ctx.id, (set = new Set()));
      set.add(to);
    }
    const unreadLines = unknownLines(p);
    const done = new Set<number>();
    const ctxs = p.facts.ctxs;
    for (let k = 0; k < ctxs.length; k++) {
      const ctx = ctxs[k]!;
      if ((ctx.kind !== "event" && ctx.kind !== "priority-event") || saves.has(ctx.id) || !runsVm.has(ctx.id)) continue;
      const procs = [p.procs[p.procOf[ctx.root]!]!, ...[...(reachedProcs.get(ctx.id) ?? [])].map((i) => p.procs[i]!)];
      if (procs.some((proc) => containsUnread(p, proc, unreadLines))) continue;
      for (const i of clientStores(p, procs)) {
        if (done.has(i)) continue;
        done.add(i);
        report({
          span: p.span(i),
          message: `event callback \`${procName(p, ctx.root)}\` changes a client register and runs VM code without saving the client state`,
          help: "wrap the change in Push_Client_State … Pop_Client_State (or Save_Client_State / Restore_Client_State)",
          notes: [`scheduled by ${ctx.via} at ${at(p, ctx.origin)}`],
        });
      }
    }
  },
};

/** Reached stores through EBP into a Client_Reg_Struc field (or a word or byte alias of one). */
function clientStores(p: LintProgram, procs: readonly LintProc[]): number[] {
  const out: number[] = [];
  for (const proc of procs) {
    for (let i = proc.start; i < proc.end; i++) {
      const dest = p.instrs[i]!.a;
      if (!p.facts.reached[i] || dest?.kind !== "mem" || dest.base !== EBP) continue;
      const item = p.items[i]!;
      if (!WRITES_FIRST.has(item.mnemonic.toLowerCase())) continue;
      if (namesIn(item.operands[0] ?? null).some((n) => CLIENT_FIELDS.has(n.toLowerCase()))) out.push(i);
    }
  }
  return out;
}

/** Lines the front could not read (unknown macros), by file. */
function unknownLines(p: LintProgram): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const d of p.diagnostics) {
    if (d.name !== "unknown-instruction" || !d.span) continue;
    const list = out.get(d.span.file);
    if (list) list.push(d.span.line);
    else out.set(d.span.file, [d.span.line]);
  }
  return out;
}

function containsUnread(p: LintProgram, proc: LintProc, lines: Map<string, number[]>): boolean {
  if (proc.start >= proc.end) return false;
  const first = p.span(proc.start);
  const last = p.span(proc.end - 1);
  return (lines.get(first.file) ?? []).some((l) => l >= Math.min(first.line, proc.span.line) && l <= last.endLine);
}

