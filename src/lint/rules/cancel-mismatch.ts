// A handle from one event service cancelled with another's Cancel service (vmm-facts §4.2, §7 rule 20).
import type { Rule } from "../types.js";
import { cancelledSites, handleInfo, type HandleInfo } from "./handles.js";
import { dataName } from "./support.js";
import { w95 } from "./uri.js";

export const cancelMismatch: Rule = {
  meta: {
    id: "cancel-mismatch",
    code: "L0108",
    severity: "error",
    summary: "an event handle cancelled with the Cancel service of another kind of event",
    explanation:
      "Each Cancel service cancels only what its own scheduling services made: Cancel_Global_Event the events of " +
      "Schedule_/Call_Global_Event, Cancel_VM_Event those of Schedule_/Call_VM_Event, Cancel_Priority_VM_Event " +
      "those of Call_Priority_VM_Event, Cancel_Restricted_Event those of Call_Restricted_Event, Cancel_Time_Out " +
      "the time-outs. Lint follows the handle from the scheduling call (ESI on return) through the variable it is " +
      "saved in to the Cancel call, and reports a Cancel that cannot take it.",
    source: "W95DDK:S31D3; W95DDK:S31DF; W95DDK:S31E5; VDAG31 Cancel_VM_Event",
    helpUri: w95("S31D3"),
    bad: "\tVMMcall Call_Priority_VM_Event\n\tmov\t[hEvent], esi\n\t...\n\tmov\tesi, [hEvent]\n\tVMMcall Cancel_VM_Event\t; wrong kind",
    good: "\tVMMcall Call_Priority_VM_Event\n\tmov\t[hEvent], esi\n\t...\n\txor\tesi, esi\n\txchg\tesi, [hEvent]\n\tVMMcall Cancel_Priority_VM_Event",
  },
  check({ program: p, report }) {
    const info = handleInfo(p);
    const cancels = info.cancels;
    for (let k = 0; k < cancels.length; k++) {
      const c = cancels[k]!;
      const { sites, addr } = cancelledSites(info, c);
      if (!cancelsNoneOf(info, sites, c.name)) continue;
      const services = sites.map((s) => ({ site: s, cb: info.schedulers.get(s) })).filter((x) => x.cb);
      const first = services[0]!;
      const from = addr === null ? "" : ` (saved in \`${dataName(p, addr)}\`)`;
      report({
        span: p.span(c.index),
        message: `${c.name} cannot cancel a handle from ${first.cb!.service.name}${from}`,
        help: first.cb!.cancel ? `cancel it with ${first.cb!.cancel.name}` : `${first.cb!.service.name} has no Cancel service`,
        related: services.map((x) => ({ span: p.span(x.site), message: `the handle comes from ${x.cb!.service.name} here` })),
      });
    }
  },
};

/** Whether the handle may come from some scheduling call, and the Cancel service named cancels none of them. */
function cancelsNoneOf(info: HandleInfo, sites: readonly number[], cancel: string): boolean {
  let scheduled = false;
  for (let k = 0; k < sites.length; k++) {
    const cb = info.schedulers.get(sites[k]!);
    if (!cb) continue;
    if (cb.cancel?.name === cancel) return false;
    scheduled = true;
  }
  return scheduled;
}
