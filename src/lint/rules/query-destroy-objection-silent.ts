// A Query_Destroy handler objects without telling the user why (vmm-facts §7 rule 9).
import { MESSAGE_BOX_SERVICES } from "../../vmm/tables/device-services.js";
import { serviceByName } from "../../vmm/tables/services.js";
import { messageByName } from "../../vmm/tables/messages.js";
import type { Rule } from "../types.js";
import { CF1 } from "../values.js";
import { w95 } from "./uri.js";

const QUERY_DESTROY = messageByName("Query_Destroy")!.value;
/** The shell's message-box services: the way a device tells the user why it objects. */
const MESSAGE_BOXES = new Set(MESSAGE_BOX_SERVICES.map((n) => serviceByName(n)!));

export const queryDestroyObjectionSilent: Rule = {
  meta: {
    id: "query-destroy-objection-silent",
    code: "L0128",
    severity: "warning",
    summary: "a Query_Destroy handler objects (CF = 1) without telling the user through SHELL_Message",
    explanation:
      "The shell sends Query_Destroy before it destroys a VM that has not exited normally. A device that returns " +
      "CF = 1 objects; the DDK asks it to explain the objection to the user with SHELL_Message (or " +
      "SHELL_SYSMODAL_Message), since the user then decides whether the VM is destroyed anyway. Lint runs the " +
      "control procedure with EAX = Query_Destroy and reports a return to the shell with CF set on some path when " +
      "nothing it runs in that message - the handler or a procedure it calls - calls either service. It does not " +
      "check that the message box is on the same path as the objection, and it stays silent when a service no " +
      "table knows is called there (it might be a wrapper of SHELL_Message).",
    source: "W95DDK:S343D",
    helpUri: w95("S343D"),
    bad: "BeginProc MyDev_Query_Destroy\n\tcmp\t[Busy], 0\n\tje\tok\n\tstc\t\t\t; the user is not told why\n\tret\nok:\tclc\n\tret\nEndProc MyDev_Query_Destroy",
    good: "BeginProc MyDev_Query_Destroy\n\tcmp\t[Busy], 0\n\tje\tok\n\tmov\teax, MB_OK\n\tmov\tecx, OFFSET32 Busy_Text\n\txor\tedi, edi\n\txor\tesi, esi\n\tVxDcall SHELL_Message\n\tstc\n\tret\nok:\tclc\n\tret\nEndProc MyDev_Query_Destroy",
  },
  check({ program: p, report }) {
    const tells = new Set<number>();
    const serviceCalls = p.facts.serviceCalls;
    for (let k = 0; k < serviceCalls.length; k++) {
      const c = serviceCalls[k]!;
      if (c.ctx.kind !== "message" || c.ctx.message !== QUERY_DESTROY) continue;
      if (c.service === null || MESSAGE_BOXES.has(c.service)) tells.add(c.ctx.id);
    }
    const done = new Set<number>();
    const returns = p.rootReturns.of("message");
    for (let k = 0; k < returns.length; k++) {
      const r = returns[k]!;
      if (r.ctx.message !== QUERY_DESTROY || !(r.cf & CF1)) continue;
      if (tells.has(r.ctx.id) || done.has(r.index)) continue;
      done.add(r.index);
      report({
        span: p.span(r.index),
        message: `${r.ctx.device?.name ?? "the device"} objects to Query_Destroy here (CF = 1) but never tells the user why`,
        help: "call SHELL_Message (or SHELL_SYSMODAL_Message) with the reason before returning CF = 1",
      });
    }
  },
};
