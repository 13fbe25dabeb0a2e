// VMMcall/VMMjmp naming another device's service (vmm-facts §3.1, §7 rule 24).
import { deviceOfServiceName } from "../facts.js";
import type { Rule } from "../types.js";
import { callStatements, statementsWhere, type CallStatements } from "./service-calls.js";
import { w95 } from "./uri.js";

export const vmmcallNonVmmService: Rule = {
  meta: {
    id: "vmmcall-non-vmm-service",
    code: "L0117",
    severity: "error",
    summary: "VMMcall or VMMjmp names a service of another device",
    explanation:
      "VMMcall and VMMjmp are VxDcall and VxDjmp plus an assembly-time check that the service belongs to the VMM " +
      "(device 1): `.ERRNZ (@@Service SHR 16) - VMM_DEVICE_ID`. Another device's service - VPICD_Virtualize_IRQ, " +
      "SHELL_Message … - is called with VxDcall. Lint reports a VMMcall/VMMjmp whose service is in another " +
      "device's table, or whose name starts with another standard device's name.",
    source: "VMMH95 (VMMCall/VMMJmp); W95DDK:S2302",
    helpUri: w95("S2302"),
    bad: "\tVMMcall VPICD_Virtualize_IRQ",
    good: "\tVxDcall VPICD_Virtualize_IRQ",
  },
  check({ program: p, report }) {
    const wrong = statementsWhere(callStatements(p), (c) => c.macro.startsWith("vmm") && deviceOf(c) !== null);
    for (let k = 0; k < wrong.length; k++) {
      const { index, c } = wrong[k]!;
      const device = deviceOf(c);
      const vxd = c.macro === "vmmjmp" ? "VxDjmp" : "VxDcall";
      report({
        span: p.span(index),
        message: `\`${c.name}\` is a ${device} service, but ${c.macro === "vmmjmp" ? "VMMjmp" : "VMMcall"} takes only VMM services`,
        help: `call it with ${vxd} ${c.name}`,
      });
    }
  },
};

/** The other device whose service a statement names, or null (a VMM service, or a name lint cannot place). */
function deviceOf(c: CallStatements): string | null {
  return c.service ? (c.service.device !== "VMM" ? c.service.device : null) : deviceOfServiceName(c.name);
}
