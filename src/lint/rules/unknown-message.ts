// Control_Dispatch of something that is not a System_Control message (vmm-facts §1.1).
import { suggest } from "../../front/suggest.js";
import { MESSAGES } from "../../vmm/tables/messages.js";
import { classifyMessage } from "../facts.js";
import type { Rule } from "../types.js";
import { classifyFrontDiagnostics } from "./front-diagnostics.js";
import { hex } from "./support.js";
import { w95 } from "./uri.js";

export const unknownMessage: Rule = {
  meta: {
    id: "unknown-message",
    code: "L0120",
    severity: "error",
    summary: "Control_Dispatch names something that is not a System_Control message",
    explanation:
      "Control_Dispatch takes a message (Sys_Critical_Init … Destroy_Process, or a private message in " +
      "70000000h-7FFFFFFFh) and a handler. A name that is not a message - usually a misspelling - or a number " +
      "outside both ranges dispatches nothing the VMM or another device will ever send.",
    source: "VMMH95 (message equates); vmm-facts §1.1",
    helpUri: w95("S22FC"),
    bad: "\tControl_Dispatch Sys_Critical_Int, MyDev_Init",
    good: "\tControl_Dispatch Sys_Critical_Init, MyDev_Init",
  },
  check({ program: p, report }) {
    for (const c of classifyFrontDiagnostics(p)) {
      if (c.kind !== "unknown-message") continue;
      const hint = suggest(c.name, MESSAGES.map((m) => m.name));
      report({
        span: c.diag.span,
        message: `\`${c.name}\` is not a System_Control message`,
        help: hint ? `did you mean \`${hint}\`?` : "use a message name from vmm.inc, or a private message in 70000000h-7FFFFFFFh",
      });
    }
    for (const block of p.dispatches) {
      for (const e of block.entries) {
        if (classifyMessage(e.message).kind !== "invalid") continue;
        report({
          span: e.span,
          message: `message ${hex(e.message)} is neither a VMM message nor a private one (70000000h-7FFFFFFFh)`,
          help: "dispatch a message name from vmm.inc, or a private message numbered from BEGIN_RESERVED_PRIVATE_SYSTEM_CONTROL",
        });
      }
    }
  },
};
