// An event callback that may run inside the critical section calls a memory-manager service (vmm-facts §7 rule 19).
import { EVENT_WAIT_NOT_CRIT_SERVICES } from "../../vmm/tables/events.js";
import type { CallbackFact } from "../analysis.js";
import { pefFlag } from "../facts.js";
import type { Rule } from "../types.js";
import { at, isConstVal, procName } from "./support.js";
import { w95 } from "./uri.js";

const UNSAFE = new Set(EVENT_WAIT_NOT_CRIT_SERVICES.map((n) => n.toLowerCase()));

export const eventMemoryServiceUnsafe: Rule = {
  meta: {
    id: "event-memory-service-unsafe",
    code: "L0131",
    severity: "warning",
    summary: "an event callback not scheduled with PEF_Wait_Not_Crit calls _PageAllocate, _HeapFree or the like",
    explanation:
      "An event may run while the critical section is owned, when the memory manager cannot be entered: the DDK " +
      "says an event callback must not call memory-management services such as _PageAllocate or _HeapFree " +
      "unless it was scheduled with PEF_Wait_Not_Crit (or paging is known to be safe). Lint finds the callbacks " +
      "scheduled by Schedule_/Call_ Global/VM/Thread_Event (which cannot wait for anything) and those scheduled " +
      "by Call_Priority_VM_Event or Call_Restricted_Event with ECX known and PEF_Wait_Not_Crit clear, and reports " +
      "a call, in the callback or what it calls, of a service the tables list as needing it (page and heap " +
      "allocate, reallocate and free). Callbacks scheduled with ECX unknown, and time-outs, are not checked.",
    source: "W95DDK:S31D5; W95DDK:S31E4",
    helpUri: w95("S31D5"),
    bad: "\tmov\tesi, OFFSET32 Free_Buffer_Event\n\tVMMcall Schedule_Global_Event\t; Free_Buffer_Event calls _HeapFree",
    good: "\txor\teax, eax\n\tmov\tecx, PEF_Wait_Not_Crit\n\tmov\tesi, OFFSET32 Free_Buffer_Event\n\tVMMcall Call_Restricted_Event",
  },
  check({ program: p, report }) {
    const notCrit = pefFlag("PEF_Wait_Not_Crit");
    // Scheduling sites that do not make the callback wait for the critical section, by callback entry and kind.
    const unsafeSites = new Map<string, CallbackFact[]>();
    const callbacks = p.facts.callbacks;
    for (let k = 0; k < callbacks.length; k++) {
      const cb = callbacks[k]!;
      const kind = cb.service.kind;
      const waits = kind === "priority-event" && (!isConstVal(cb.ecx) || (cb.ecx.n & notCrit) !== 0);
      if ((kind !== "event" && kind !== "priority-event") || waits) continue;
      const key = `${kind}|${cb.entry}`;
      const list = unsafeSites.get(key);
      if (list) list.push(cb);
      else unsafeSites.set(key, [cb]);
    }
    const done = new Set<number>();
    const calls = p.serviceCalls.where((name) => UNSAFE.has(name.toLowerCase()));
    for (let k = 0; k < calls.length; k++) {
      const c = calls[k]!;
      if (done.has(c.index) || !c.service) continue;
      const sites = unsafeSites.get(`${c.ctx.kind}|${c.ctx.root}`);
      if (!sites) continue;
      done.add(c.index);
      const first = sites[0]!;
      report({
        span: p.span(c.index),
        message: `${c.service.name} in event callback \`${procName(p, c.ctx.root)}\`, which ${first.service.service.name} at ${at(p, first.site)} may run while the critical section is owned`,
        help: "schedule the callback with Call_Priority_VM_Event or Call_Restricted_Event and PEF_Wait_Not_Crit, or move the call out of the event",
        related: sites.map((s) => ({ span: p.span(s.site), message: `scheduled here by ${s.service.service.name} without PEF_Wait_Not_Crit` })),
      });
    }
  },
};
